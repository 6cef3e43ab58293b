#!/usr/bin/env bash
# Runs every test program given, shows its output, and closes with one line
# summing the cmocka counts of all of them.  Exits non-zero when any test
# failed or any program ended abnormally (a sanitizer report, a crash).
set -u
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export XBRG_SHARED="${XBRG_SHARED:-$(cd .. && pwd)/shared}"
pass=0 fail=0 skip=0 broken=0
for t in "$@"; do
	name=$(basename "$t")
	out=$(mktemp)
	echo "== $name"
	"$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END{print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END{print s+0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END{print s+0}')
	rm -f "$out"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exited $rc with no failed test counted"
		broken=$((broken + 1))
		fail=$((fail + 1))
	fi
done
echo
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$broken" -eq 0 ]
