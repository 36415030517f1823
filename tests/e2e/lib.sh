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
# check DESCRIPTION COMMAND [ARG...]: exactly one predicate, one simple command; a TAP line
# by its exit code, which check returns. A compound after it (`check D [ a ] && [ b ]`)
# leaves all but the first outside check: write two checks, or one `sh -c '... && ...'`
# (tests/e2e/shell-hygiene.sh fails on the compound form). No command, or a `[` without
# its `]`, is a failure that says so.
check() {
	d=$1; shift
	if [ $# -eq 0 ]; then
		ok 1 "$d (check: no command given)"
		return 1
	fi
	if [ "$1" = "[" ]; then
		eval "_check_last=\${$#}"
		if [ "$_check_last" != "]" ]; then
			ok 1 "$d (check: [ without its closing ])"
			return 1
		fi
	fi
	if "$@"; then ok 0 "$d"; return 0; fi
	ok 1 "$d"
	return 1
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
# term_wait PID [SECONDS]: SIGTERM to a child of this shell, then its exit status; one
# that has not exited within SECONDS (default 30) gets SIGKILL (status 137): no test hangs.
term_wait() {
	kill -TERM "$1" 2>/dev/null
	_tw=0
	while [ -e "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; do
		if [ $_tw -ge $(( ${2:-30} * 10 )) ]; then
			kill -KILL "$1" 2>/dev/null
			break
		fi
		sleep 0.1
		_tw=$((_tw + 1))
	done
	wait "$1"
}
done_testing() {
	echo "1..$_n"
	exit $_failed
}
