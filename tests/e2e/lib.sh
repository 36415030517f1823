# lib.sh — shared helpers for the shell tests: TAP output, a scratch directory,
# and waiting for a condition with a timeout (never a fixed sleep).
B=${B:-build}
OUTPOST=${OUTPOST:-$PWD/$B/outpost}
HUB=${HUB:-$PWD/$B/outpost-hub}
T=$(mktemp -d "${TMPDIR:-/tmp}/outpost-e2e.XXXXXX")
export HOME="$T/home" XDG_DATA_HOME="$T/home/data" LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE
mkdir -p "$HOME"
_n=0
_failed=0
cleanup_hooks=""
_cleanup() {
	for h in $cleanup_hooks; do $h; done
	rm -rf "$T"
}
trap _cleanup EXIT
# ok COND-EXIT-CODE DESCRIPTION: prints a TAP line for the exit code given.
ok() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=1; fi
}
# check DESCRIPTION COMMAND...: runs the command, TAP line by its exit code.
check() {
	d=$1; shift
	if "$@"; then ok 0 "$d"; else ok 1 "$d"; fi
}
# expect_rc CODE DESCRIPTION COMMAND...: the command must exit with CODE.
expect_rc() {
	want=$1; d=$2; shift 2
	"$@" >"$T/last.out" 2>"$T/last.err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok 0 "$d"; else
		ok 1 "$d (exit $got, wanted $want)"
		sed 's/^/#   /' "$T/last.out" "$T/last.err" | head -20
	fi
}
# wait_for SECONDS COMMAND...: retries the command every 0.1 s until it succeeds.
wait_for() {
	secs=$1; shift
	i=0
	while [ $i -lt $((secs * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
done_testing() {
	echo "1..$_n"
	exit $_failed
}
