#!/usr/bin/env python3
"""API and error coverage of the conformance tests.

Scans include/openai_hal/ohal.h for the public functions and the error codes each one documents,
and conformance/tests/ for calls to them and for the results the tests expect, and keeps both
lists at the end of conformance/README.md.
  --update  rewrite the README's lists
  --check   exit 1 when a list is stale, a public function is called by no test, or a documented
            error code is provoked by no test

A test provokes (function, code) with CHECK_RESULT / REQUIRE_RESULT(call, code), where code is
an OHAL_* name or a variable `want` set from one earlier in the file, or with a comment
`// provokes: ohal_function OHAL_CODE` next to a check of another form.
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
HEADER = ROOT / "include" / "openai_hal" / "ohal.h"
TESTS = ROOT / "conformance" / "tests"
README = ROOT / "conformance" / "README.md"
BEGIN = "<!-- api-coverage:begin -->"
END = "<!-- api-coverage:end -->"
ERR_BEGIN = "<!-- error-coverage:begin -->"
ERR_END = "<!-- error-coverage:end -->"

# Test helpers that stand for an API function.
HELPERS = {"launch": "ohal_launch", "try_launch": "ohal_launch", "load": "ohal_module_load",
           "load_bundle": "ohal_module_load_bundle"}


def public_functions():
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = re.findall(r"OHAL_API\s+[\w\s\*]+?\b(ohal_\w+)\s*\(", text)
    return list(dict.fromkeys(names))


def documented_errors():
    """Function -> the result codes its comment in ohal.h documents.

    The codes after "Errors:" (or every code of a comment without one), OHAL_NOT_READY where the
    comment names it, LAUNCH_FAILED and DEVICE_LOST for "sticky errors", and the inherited codes
    of "as ohal_module_load" / "as the async forms" minus those the call cannot produce (a
    bundle has no descriptor struct; the blocking forms have no stream).
    """
    text = HEADER.read_text()
    errors = {}
    comment = ""
    for m in re.finditer(r"/\*(.*?)\*/|OHAL_API\s+([\w\s\*]+?)\b(ohal_\w+)\s*\(", text, re.S):
        if m.group(1) is not None:
            comment = m.group(1)
            continue
        if m.group(2).strip() != "ohal_result_t":
            continue  # the string getters cannot fail
        name = m.group(3)
        section = comment.split("Errors:", 1)[1] if "Errors:" in comment else comment
        codes = set(re.findall(r"\b(OHAL_ERROR_\w+)\b", section))
        if "OHAL_NOT_READY" in comment:
            codes.add("OHAL_NOT_READY")
        if re.search(r"sticky[\s*]+errors", section):  # may wrap onto a " * " line
            codes |= {"OHAL_ERROR_LAUNCH_FAILED", "OHAL_ERROR_DEVICE_LOST"}
        if re.search(r"as\s+ohal_module_load\b", section):
            codes |= errors.get("ohal_module_load", set()) - {"OHAL_ERROR_STRUCT_SIZE"}
        if "as the async forms" in section:
            base = "ohal_memset_async" if name == "ohal_memset" else "ohal_memcpy_async"
            # No stream to be sticky on; a lost device still fails them.
            codes |= errors.get(base, set()) - {
                "OHAL_ERROR_INVALID_HANDLE", "OHAL_ERROR_LAUNCH_FAILED"}
            if name == "ohal_memset":  # runs on the device that owns dst: nothing to mismatch
                codes.discard("OHAL_ERROR_DEVICE_MISMATCH")
            else:  # ohal_memcpy accepts pageable memory on both sides
                codes.discard("OHAL_ERROR_INVALID_POINTER")
        errors[name] = codes
    return errors


def split_top_level(args):
    depth, parts, current = 0, [], ""
    for ch in args:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts]


def provoked_errors():
    """(function, code) -> test files that expect that code from that function."""
    provoked = {}
    for path in sorted(TESTS.glob("*.cpp")):
        text = path.read_text()
        for m in re.finditer(r"provokes:\s*(ohal_\w+)\s+(OHAL_\w+)", text):
            provoked.setdefault((m.group(1), m.group(2)), set()).add(path.name)
        for m in re.finditer(r"\b(?:CHECK|REQUIRE)_RESULT\(", text):
            depth, i = 1, m.end()
            while i < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            parts = split_top_level(text[m.end():i - 1])
            if len(parts) < 2:
                continue
            call, code = ",".join(parts[:-1]), parts[-1]
            called = re.search(r"(?:cts::)?(\w+)\s*\(", call)
            if not called:
                continue
            function = HELPERS.get(called.group(1), called.group(1))
            if not re.fullmatch(r"OHAL_\w+", code):
                defs = re.findall(r"\b%s\s*=\s*(OHAL_\w+)\s*;" % re.escape(code),
                                  text[:m.start()])
                if not defs:
                    continue
                code = defs[-1]
            provoked.setdefault((function, code), set()).add(path.name)
    return provoked


def error_block(documented, provoked):
    lines = [ERR_BEGIN, "", "| function | documented result | provoked in |", "|---|---|---|"]
    missing = []
    for function, codes in documented.items():
        for code in sorted(codes):
            files = sorted(provoked.get((function, code), set()))
            if files:
                where = ", ".join(files)
            else:
                where = "**not provoked**"
                missing.append((function, code))
            lines.append("| `%s` | `%s` | %s |" % (function, code, where))
    total = sum(len(c) for c in documented.values())
    lines += ["", "%d documented results, %d provoked by a test." % (total, total - len(missing)),
              "", ERR_END]
    return "\n".join(lines), missing


def replace_block(readme, begin, end, block):
    if begin not in readme or end not in readme:
        raise SystemExit("api_coverage: markers %s missing in %s" % (begin, README))
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + block + tail


def calls_by_file():
    calls = {}
    for path in sorted(list(TESTS.glob("*.cpp")) + list(TESTS.glob("*.hpp"))):
        text = path.read_text()
        text = re.sub(r"//[^\n]*", "", text)
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        calls[path.name] = set(re.findall(r"\b(ohal_\w+)\s*\(", text))
    return calls


def coverage_block(functions, calls):
    lines = [BEGIN, "", "| function | called in |", "|---|---|"]
    for name in functions:
        files = sorted(f for f, called in calls.items() if name in called)
        lines.append("| `%s` | %s |" % (name, ", ".join(files) if files else "**not called**"))
    covered = sum(1 for n in functions if any(n in c for c in calls.values()))
    lines += ["", "%d of %d public functions are called by the tests." % (covered, len(functions)),
              "", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()

    functions = public_functions()
    if len(functions) < 10:
        print("api_coverage: found only %d functions in %s" % (len(functions), HEADER))
        return 1
    calls = calls_by_file()
    block = coverage_block(functions, calls)
    err_block, missing = error_block(documented_errors(), provoked_errors())
    readme = README.read_text()
    updated = replace_block(readme, BEGIN, END, block)
    updated = replace_block(updated, ERR_BEGIN, ERR_END, err_block)
    uncalled = [n for n in functions if not any(n in c for c in calls.values())]
    problems = ["%s is called by no test" % n for n in uncalled]
    problems += ["%s: %s is documented but no test provokes it" % m for m in missing]
    if args.update:
        README.write_text(updated)
        print("api_coverage: %s updated (%d functions)" % (README.name, len(functions)))
    elif updated != readme:
        problems.insert(0, "the lists in %s are stale; run conformance/tools/api_coverage.py "
                        "--update" % README.name)
    for p in problems:
        print("api_coverage: " + p)
    if not problems:
        print("api_coverage: all %d public functions are called and every documented result "
              "is provoked; README lists are current" % len(functions))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
