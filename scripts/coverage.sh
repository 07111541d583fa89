#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage: line coverage of kernel/vserver.
#
# The gcov kernel (scripts/kernel.sh build gcov) boots with the test
# initramfs in "coverage" mode: the KUnit suites at boot, every VM suite
# and the fuzzer's short pass run, then the .gcda counters of
# kernel/vserver come back over a third serial port (a base64 tar).  lcov
# and genhtml turn them into per-file and total line coverage and an HTML
# report under build/results/coverage/.
#
# Goals: 90 % of the lines in total and 80 % in every file
# (COVERAGE_TOTAL, COVERAGE_FILE); the script exits 1 below them.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OBJ=$TOP/build/obj-gcov
OUT=$TOP/build/results/coverage
TOTAL_GOAL=${COVERAGE_TOTAL:-90}
FILE_GOAL=${COVERAGE_FILE:-80}

die() { echo "coverage.sh: $*" >&2; exit 2; }

command -v lcov >/dev/null || die "lcov missing: run 'make deps'"
[ -f "$OBJ/arch/x86/boot/bzImage" ] || die "no gcov kernel (make kernel-gcov)"

rm -rf "$OUT"
mkdir -p "$OUT"
# A fresh start: no counters of an earlier run next to the .gcno files.
find "$OBJ/kernel/vserver" -name '*.gcda' -delete

# The Debian guest image of make demo, as make check attaches it, for the
# real-guest suite (skipped if it cannot be built).
DISK=$("$TOP/scripts/demo-image.sh" 2> "$OUT/demo-image.log" | tail -1) || DISK=
[ -f "$DISK" ] || DISK=
export DISK
FLAVOUR=gcov GCOV_OUT=$OUT/gcda.b64 VM_MEM=${VM_MEM:-1024} \
	VM_TIMEOUT=${VM_TIMEOUT:-3600} \
	"$TOP/scripts/vm.sh" coverage
vm_rc=$?
python3 "$TOP/scripts/tap-summary.py" \
	--kunit "$TOP/build/results/console-coverage.log" \
	--vm "$TOP/build/results/coverage.tap" > "$OUT/suites.txt"
tail -1 "$OUT/suites.txt"

[ -s "$OUT/gcda.b64" ] || die "the VM sent no coverage data (see build/results/console-coverage.log)"
mkdir -p "$OUT/gcda"
base64 -d -i < "$OUT/gcda.b64" | tar -xzf - -C "$OUT/gcda" ||
	die "the coverage data from the VM is damaged"
n=0
for f in "$OUT"/gcda/*.gcda; do
	[ -f "$f" ] || continue
	cp "$f" "$OBJ/kernel/vserver/"
	n=$((n + 1))
done
[ $n -gt 0 ] || die "no .gcda files in the data from the VM"

# The profiled sources are compiled from build/linux; the .gcno files
# name them relative to the object directory.
lcov --quiet --capture --directory "$OBJ/kernel/vserver" \
	--base-directory "$OBJ" --output-file "$OUT/all.info" \
	--rc lcov_branch_coverage=0 2> "$OUT/lcov.log" ||
	{ cat "$OUT/lcov.log"; die "lcov failed"; }
lcov --quiet --extract "$OUT/all.info" '*/kernel/vserver/*' \
	--output-file "$OUT/vserver.info" 2>> "$OUT/lcov.log" ||
	die "lcov --extract failed"
genhtml --quiet --output-directory "$OUT/html" --title "vserver: kernel/vserver" \
	"$OUT/vserver.info" >> "$OUT/lcov.log" 2>&1 ||
	echo "coverage.sh: genhtml failed (see $OUT/lcov.log)" >&2

# Per file: lines hit / lines, from the tracefile (LF: and LH: records).
python3 - "$OUT/vserver.info" "$TOTAL_GOAL" "$FILE_GOAL" <<'PY' | tee "$OUT/summary.txt"
import sys
info, total_goal, file_goal = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
lf, lh, f = {}, {}, None
for line in open(info):
    if line.startswith('SF:'):
        f = line[3:].strip().split('/kernel/vserver/')[-1]
    elif line.startswith('LF:'):
        lf[f] = lf.get(f, 0) + int(line[3:])
    elif line.startswith('LH:'):
        lh[f] = lh.get(f, 0) + int(line[3:])
bad = False
print('%-14s %7s %7s %7s' % ('file', 'lines', 'hit', 'cover'))
for name in sorted(lf):
    p = 100.0 * lh.get(name, 0) / lf[name] if lf[name] else 100.0
    low = p < file_goal
    bad |= low
    print('%-14s %7d %7d %6.1f%%%s' % (name, lf[name], lh.get(name, 0), p,
                                       '  < %g%%' % file_goal if low else ''))
tf, th = sum(lf.values()), sum(lh.values())
p = 100.0 * th / tf if tf else 0.0
bad |= p < total_goal
print('%-14s %7d %7d %6.1f%%%s' % ('total', tf, th, p,
                                   '  < %g%%' % total_goal if p < total_goal else ''))
sys.exit(1 if bad else 0)
PY
rc=${PIPESTATUS[0]}
echo "coverage: $OUT/summary.txt, HTML report: $OUT/html/index.html"
[ $vm_rc -eq 0 ] || echo "coverage.sh: the suites did not all pass (see above)" >&2
exit $rc
