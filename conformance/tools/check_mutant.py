#!/usr/bin/env python3
"""Runs ohal-cts on a mutant backend and passes only if the run fails and names the expected
failing tests (the mutant's bug was caught, by the tests meant to catch it)."""
import argparse
import json
import pathlib
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cts", required=True, help="the ohal-cts binary")
    parser.add_argument("--backend", required=True, help="the mutant plugin's name")
    parser.add_argument("--filter", default="", help="Catch2 test spec to run")
    parser.add_argument("--expect", action="append", default=[], required=True,
                        help="a test that must fail (repeatable)")
    parser.add_argument("--out", default=".", help="folder for the reports")
    args = parser.parse_args()

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = out / ("cts-%s.json" % args.backend)
    command = [args.cts, "--backend", args.backend, "--json", str(report)]
    if args.filter:
        command += ["--filter", args.filter]
    print("running:", " ".join(command), flush=True)
    rc = subprocess.call(command)
    if rc != 1:
        print("FAIL: ohal-cts exited with %d; a caught mutant gives 1 (2 means it did not run)"
              % rc)
        return 1
    data = json.loads(report.read_text())
    failed = {t["name"] for d in data["devices"] for t in d["tests"] if t["status"] == "failed"}
    missing = [name for name in args.expect if name not in failed]
    print("%s: %d tests failed" % (args.backend, len(failed)))
    for name in sorted(failed):
        print("  failed: " + name)
    if missing:
        for name in missing:
            print("FAIL: expected this test to catch %s: %s" % (args.backend, name))
        return 1
    print("PASS: %s was caught by %s" % (args.backend, "; ".join(args.expect)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
