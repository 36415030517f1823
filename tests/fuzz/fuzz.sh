# fuzz.sh — builds the libFuzzer harnesses (`make fuzz`: clang, ASan, UBSan, into
# build-fuzz/) and runs each for a few seconds from its seed corpus in tests/fuzz/NAME/
# (new inputs go to a scratch directory, never into the tree). Any crash, leak, sanitizer
# report or timeout fails. Skipped, with a message, only if clang is missing.
# FUZZ_SECONDS (3) sets the time per harness.
. tests/e2e/lib.sh
TOP=$PWD
SECS=${FUZZ_SECONDS:-3}
if ! command -v clang >/dev/null 2>&1; then
	echo "ok 1 # SKIP clang is missing (scripts/deps.sh installs it): no fuzzing"
	echo "1..1"
	exit 0
fi
if make -s -C "$TOP" fuzz >"$T/build.log" 2>&1; then
	ok 0 "make fuzz builds the harnesses"
else
	ok 1 "make fuzz builds the harnesses"
	sed 's/^/# /' "$T/build.log" | tail -30
	done_testing
fi
for src in "$TOP"/tests/fuzz/fuzz-*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz-}
	bin=$TOP/build-fuzz/fuzz/fuzz-$name
	mkdir -p "$T/corpus-$name"
	check "harness $name was built" [ -x "$bin" ]
	check "seed corpus tests/fuzz/$name exists" [ -d "$TOP/tests/fuzz/$name" ]
	(cd "$T" && "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 "$T/corpus-$name" "$TOP/tests/fuzz/$name") >"$T/$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/$name.log")
	check "fuzz-$name ran ${SECS}s without a crash, leak or sanitizer report (${execs:-0} execs)" \
		[ "$rc" -eq 0 ]
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|Test unit written' "$T/$name.log" | sed 's/^/# /' | head -10
		ls "$T"/crash-* "$T"/leak-* "$T"/timeout-* 2>/dev/null | sed 's/^/# kept: /'
	fi
	check "fuzz-$name executed inputs" [ "${execs:-0}" -gt 0 ]
done
done_testing
