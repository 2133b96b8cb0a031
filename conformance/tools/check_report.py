#!/usr/bin/env python3
"""Checks ohal-cts reports: the JUnit XML is well-formed and its counts match the testcases it
holds and the JSON report; optionally runs ohal-cts first.

  check_report.py --cts BIN --backend NAME [--filter SPEC] --out DIR [--expect-failures]
  check_report.py --json FILE [--min-passed N] [--max-skipped N]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

errors = []


def expect(condition, message):
    if not condition:
        errors.append(message)


def check_junit(xml_path, data):
    root = ET.parse(xml_path).getroot()  # raises on malformed XML
    expect(root.tag == "testsuites", "root element is <%s>, not <testsuites>" % root.tag)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    names_by_suite = {}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        failures = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        label = suite.get("name")
        expect(int(suite.get("tests")) == len(cases),
               "%s: tests=%s but %d <testcase>" % (label, suite.get("tests"), len(cases)))
        expect(int(suite.get("failures")) == failures,
               "%s: failures=%s but %d <failure>" % (label, suite.get("failures"), failures))
        expect(int(suite.get("skipped")) == skipped,
               "%s: skipped=%s but %d <skipped>" % (label, suite.get("skipped"), skipped))
        expect(int(suite.get("errors")) == 0, "%s: errors is not 0" % label)
        for case in cases:
            expect(case.get("name") and case.get("classname"), "%s: unnamed testcase" % label)
            float(case.get("time"))
            expect(case.find("failure") is None or case.find("skipped") is None,
                   "%s: testcase both failed and skipped" % case.get("name"))
        totals["tests"] += len(cases)
        totals["failures"] += failures
        totals["skipped"] += skipped
        names_by_suite[label] = [c.get("name") for c in cases]
    for key, value in totals.items():
        expect(int(root.get(key)) == value,
               "<testsuites %s=%s> but the suites hold %d" % (key, root.get(key), value))
    # Against the JSON report of the same run.
    expect(len(data["devices"]) == len(names_by_suite), "device count differs between reports")
    for device, (label, names) in zip(data["devices"], names_by_suite.items()):
        expect(label.startswith(device["id"]), "suite %s is not device %s" % (label, device["id"]))
        json_names = [t["name"] for t in device["tests"]]
        expect(sorted(json_names) == sorted(names), "%s: test names differ" % label)
        suite = root.find("testsuite[@name='%s']" % label.replace("'", ""))
        if suite is None:
            continue
        expect(device["failed"] == int(suite.get("failures")), "%s: failed count differs" % label)
        expect(device["skipped"] + device["known"] == int(suite.get("skipped")),
               "%s: skipped count differs" % label)
        expect(device["passed"] + device["failed"] + device["skipped"] + device["known"]
               == int(suite.get("tests")), "%s: test count differs" % label)
    return totals


def check_json(data):
    for device in data["devices"]:
        counted = {"passed": 0, "failed": 0, "skipped": 0, "known": 0}
        for t in device["tests"]:
            counted[t["status"]] += 1
        for key, value in counted.items():
            expect(device[key] == value, "%s: %s=%d but %d tests say so"
                   % (device["id"], key, device[key], value))
    expect((data["exit_code"] == 1) == (data["totals"]["failed"] > 0),
           "exit code %d does not match %d failures" % (data["exit_code"], data["totals"]["failed"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cts")
    parser.add_argument("--backend")
    parser.add_argument("--filter", default="")
    parser.add_argument("--out", default=".")
    parser.add_argument("--json")
    parser.add_argument("--expect-failures", action="store_true")
    parser.add_argument("--min-passed", type=int, default=0)
    parser.add_argument("--max-skipped", type=int, default=-1)
    parser.add_argument("--cts-arg", action="append", default=[],
                        help="an extra ohal-cts argument (repeatable)")
    parser.add_argument("--expect-status", action="append", default=[],
                        help="NAME=STATUS a test must end with (repeatable)")
    parser.add_argument("--expect-rc", type=int, default=None)
    args = parser.parse_args()

    if args.cts:
        out = pathlib.Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        xml_path = out / ("report-%s.xml" % args.backend)
        json_path = out / ("report-%s.json" % args.backend)
        command = [args.cts, "--backend", args.backend, "--junit", str(xml_path),
                   "--json", str(json_path)]
        if args.filter:
            command += ["--filter", args.filter]
        command += args.cts_arg
        print("running:", " ".join(command), flush=True)
        rc = subprocess.call(command)
        expect(rc in (0, 1), "ohal-cts exited with %d" % rc)
        if args.expect_rc is not None:
            expect(rc == args.expect_rc, "ohal-cts exited with %d, want %d" % (rc, args.expect_rc))
        data = json.loads(json_path.read_text())
        expect(data["exit_code"] == rc, "JSON exit_code %d but the process returned %d"
               % (data["exit_code"], rc))
        totals = check_junit(xml_path, data)
        print("junit: %d tests, %d failures, %d skipped" %
              (totals["tests"], totals["failures"], totals["skipped"]))
        if args.expect_failures:
            expect(totals["failures"] > 0, "expected failures in this run")
            expect(totals["tests"] > totals["failures"] + totals["skipped"],
                   "expected passing tests in this run too")
    else:
        data = json.loads(pathlib.Path(args.json).read_text())
    check_json(data)
    statuses = {t["name"]: t for d in data["devices"] for t in d["tests"]}
    for spec in args.expect_status:
        name, _, status = spec.rpartition("=")
        got = statuses.get(name)
        expect(got is not None and got["status"] == status,
               "%s: status %s, want %s" % (name, got["status"] if got else "missing", status))
        if got is not None:
            print("  %-8s %s | %s" % (got["status"], name, got["message"].split("\n")[0]))
    totals = data["totals"]
    expect(totals["passed"] >= args.min_passed,
           "only %d passed (want >= %d)" % (totals["passed"], args.min_passed))
    if args.max_skipped >= 0:
        expect(totals["skipped"] <= args.max_skipped,
               "%d skipped (want <= %d)" % (totals["skipped"], args.max_skipped))
    for e in errors:
        print("FAIL: " + e)
    if not errors:
        print("PASS: reports consistent (%d passed, %d failed, %d skipped, %d known)"
              % (totals["passed"], totals["failed"], totals["skipped"], totals["known"]))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
