#!/bin/sh
# Runs every unit test binary and every e2e/fault script, two at a time, and prints
# one closing line "N passed, N failed". Each test speaks TAP ("ok N - …" / "not ok N - …");
# a test program that dies without saying "not ok" still counts as one failure.
# TESTS="pattern" runs only the tests whose file name matches.
B=${B:-build}
export B
top=$(pwd)
export OUTPOST_TOP="$top"
export CMOCKA_MESSAGE_OUTPUT=TAP
out=$(mktemp -d "${TMPDIR:-/tmp}/outpost-tests.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

list=""
for t in "$B"/tests/test-*; do [ -x "$t" ] && list="$list $t"; done
for t in tests/e2e/*.sh tests/faults/*.sh tests/fuzz/*.sh; do
	case "$t" in */lib.sh) continue ;; esac
	[ -f "$t" ] && list="$list $t"
done
if [ -n "$TESTS" ]; then
	sel=""
	for t in $list; do case "$t" in *$TESTS*) sel="$sel $t";; esac; done
	list=$sel
fi

run_one() {
	t=$1
	log="$out/$(echo "$t" | tr '/' '_').log"
	start=$(date +%s)
	case "$t" in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*) "$t" >"$log" 2>&1 ;;
	esac
	rc=$?
	echo "# exit $rc after $(( $(date +%s) - start ))s" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		echo "not ok - $t exited $rc" >>"$log"
	fi
}
JOBS=${JOBS:-2}
for t in $list; do
	while [ "$(jobs -p | wc -l)" -ge "$JOBS" ]; do sleep 0.2; done
	run_one "$t" &
done
wait

pass=0; fail=0
for t in $list; do
	log="$out/$(echo "$t" | tr '/' '_').log"
	echo "== $t"
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok' "$log")
	# Diagnostics ("# …" lines) are shown only for a test that failed.
	if [ "$f" -gt 0 ]; then
		sed 's/^/   /' "$log" | grep -v '^   ok ' | head -200
	else
		sed 's/^/   /' "$log" | grep -v '^   ok ' | grep -v '^   #' | head -200
	fi
	echo "   ($p ok, $f not ok; $(tail -n 1 "$log" | sed 's/^# //'))"
	pass=$((pass + p)); fail=$((fail + f))
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
