#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results of every test suite and print one closing line.

    tap-summary.py [--host FILE] [--vm FILE] [--kunit CONSOLE_LOG]

--host  TAP of the host suites, framed by "### SUITE" / "### EXIT" lines
--vm    the same, written by the VM on its results port
--kunit the VM console log, with KUnit's KTAP output

Each test case counts once: top-level "ok"/"not ok" lines of a suite, and
the test-case lines (one level down) of each KUnit suite.  A suite that
exits non-zero without reporting a failure, or a VM that did not finish,
counts as one failure.  A kernel warning on the console (lockdep, KASAN,
WARN_ON, BUG, hung task) is one more result.  The last line is "N passed, N failed, N skipped".
"""
import argparse
import re
import sys

SPLAT = re.compile(r'^(WARNING: |BUG: |UBSAN: |Oops: |general protection '
                   r'fault|INFO: task .* blocked for more than|'
                   r'Kernel panic|kmemleak: .* new suspected)')
RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*-?\s*(.*)$')


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, ok, name, directive=''):
        if re.search(r'#\s*SKIP', directive, re.I):
            self.skipped += 1
        elif ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(name)


def split_directive(rest):
    if '#' in rest:
        name, _, d = rest.partition('#')
        return name.strip(), '#' + d
    return rest.strip(), ''


def framed_suites(path, tally, where):
    """Suites framed by ### SUITE / ### EXIT lines."""
    try:
        lines = open(path, errors='replace').read().splitlines()
    except OSError:
        tally.add(False, f'{where}: no results file {path}')
        return
    suite, failed_here, seen = None, 0, 0
    for line in lines:
        line = line.rstrip('\r')
        if line.startswith('### SUITE '):
            suite, failed_here, seen = line[10:].strip(), 0, 0
            continue
        if line.startswith('### EXIT '):
            status = line[9:].strip()
            if suite and status != '0' and failed_here == 0:
                tally.add(False, f'{suite}: exited with status {status}'
                          f' after {seen} results')
            suite = None
            continue
        if line.startswith('### VM '):
            tally.add(False, f'{where}: VM {line[7:].strip().lower()}')
            continue
        if suite is None:
            continue
        m = RESULT.match(line)
        if not m:
            continue
        name, directive = split_directive(m.group(3))
        ok = m.group(1) == 'ok'
        seen += 1
        if not ok and not directive:
            failed_here += 1
        tally.add(ok, f'{suite}: {name}', directive)
    if suite is not None:
        tally.add(False, f'{suite}: did not finish')


def kunit(path, tally):
    """KUnit test cases from the console log: lines indented one level."""
    try:
        lines = open(path, errors='replace').read().splitlines()
    except OSError:
        tally.add(False, f'kunit: no console log {path}')
        return
    suite = None
    found = False
    # The kernel's own complaints (lockdep, KASAN, WARN_ON, BUG) fail the
    # run even when no test noticed them.
    splats = []
    for raw in lines:
        line = re.sub(r'^\[\s*[\d.]+\]\s?', '', raw.rstrip('\r'))
        if SPLAT.match(line):
            splats.append(line)
            continue
        m = re.match(r'^\s{4}# Subtest: (\S+)', line)
        if m:
            suite = m.group(1)
            continue
        m = re.match(r'^\s{4}(not ok|ok) \d+ (.*)$', line)
        if m and suite:
            name, directive = split_directive(m.group(2))
            tally.add(m.group(1) == 'ok', f'kunit/{suite}: {name}',
                      directive)
            found = True
    if not found:
        tally.add(False, 'kunit: no KUnit results on the console')
    tally.add(not splats, 'console: no kernel warnings (lockdep, KASAN, '
              'WARN, BUG)' + (f': {splats[0]}' if splats else ''))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', action='append', default=[])
    ap.add_argument('--vm', action='append', default=[])
    ap.add_argument('--kunit')
    args = ap.parse_args()

    tally = Tally()
    for path in args.host:
        framed_suites(path, tally, 'host')
    if args.kunit:
        kunit(args.kunit, tally)
    for path in args.vm:
        framed_suites(path, tally, 'vm')

    for name in tally.failures:
        print(f'FAILED: {name}')
    line = f'{tally.passed} passed, {tally.failed} failed'
    if tally.skipped:
        line += f', {tally.skipped} skipped'
    print(line)
    return 1 if tally.failed else 0


if __name__ == '__main__':
    sys.exit(main())
