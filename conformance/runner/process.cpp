#include "process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace cts_runner {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

ChildExit decode(int status) {
  ChildExit e;
  if (WIFEXITED(status)) {
    e.exited = true;
    e.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    e.code = WTERMSIG(status);
  }
  return e;
}

volatile sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int signal) {
  g_stop_signal = signal;
}

// Kills the running child when the runner itself is interrupted, then dies of the same signal.
void install_stop_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
}

ChildExit spawn_failed() {
  ChildExit e;
  e.exited = true;
  e.code = 127;
  return e;
}

}  // namespace

std::string ChildExit::describe() const {
  if (timed_out) return "killed after making no progress (timeout)";
  if (exited) return "exited with status " + std::to_string(code);
  return std::string("killed by signal ") + std::to_string(code) + " (" + strsignal(code) + ")";
}

std::string self_path() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return "ohal-cts";
  buffer[n] = '\0';
  return buffer;
}

ChildExit run_capture(const std::vector<std::string>& argv, std::string* out,
                      double timeout_seconds) {
  install_stop_handlers();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return spawn_failed();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> args = c_argv(argv);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return spawn_failed();
  }
  using clock = std::chrono::steady_clock;
  auto last_output = clock::now();
  bool timed_out = false;
  char buffer[8192];
  for (;;) {
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 100);
    if (g_stop_signal != 0 ||
        std::chrono::duration<double>(clock::now() - last_output).count() > timeout_seconds) {
      timed_out = g_stop_signal == 0;
      ::kill(pid, SIGKILL);
      break;
    }
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      last_output = clock::now();
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (g_stop_signal != 0) {
    const int sig = g_stop_signal;
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
  ChildExit e = decode(status);
  e.timed_out = timed_out;
  return e;
}

ChildExit run_watched(const std::vector<std::string>& argv, double timeout_seconds,
                      const std::function<bool()>& progress) {
  install_stop_handlers();
  std::vector<char*> args = c_argv(argv);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) {
    return spawn_failed();
  }
  using clock = std::chrono::steady_clock;
  auto last_progress = clock::now();
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return decode(status);
    if (done < 0 && errno != EINTR) return spawn_failed();
    if (g_stop_signal != 0) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      const int sig = g_stop_signal;
      ::signal(sig, SIG_DFL);
      ::raise(sig);
    }
    if (progress()) last_progress = clock::now();
    const double idle = std::chrono::duration<double>(clock::now() - last_progress).count();
    if (idle > timeout_seconds) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      ChildExit e = decode(status);
      e.timed_out = true;
      return e;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace cts_runner
