# pg-store-down.sh — tests/unit/test-hub-pg-down.c against a throwaway cluster
# (tests/helpers/pg-lib.sh) that it stops and starts: while PostgreSQL is down, the store
# tries to reconnect once per call after the first call's attempts failed. Skips when the
# PostgreSQL server is not installed.
. tests/e2e/lib.sh
. tests/helpers/pg-lib.sh
pg_skip_unless_available
check "a throwaway cluster starts" pg_start
as=""
[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=$PG_UID --regid=$PG_GID --clear-groups --"
ctl="$as '$PG_BIN/pg_ctl' -D '$PGDIR/data' -w"
export OUTPOST_TEST_PG_STOP="$ctl -m fast stop >/dev/null 2>&1"
export OUTPOST_TEST_PG_START="$ctl -l '$PGDIR/server.log' -t 60 start >/dev/null 2>&1"
OUTPOST_TEST_PG="$PGURL" CMOCKA_MESSAGE_OUTPUT=stdout "$PWD/$B/tests/test-hub-pg-down" \
	>"$T/down.out" 2>&1
rc=$?
sed 's/^/# /' "$T/down.out"
ok $rc "test-hub-pg-down passes on PostgreSQL"
check "… its test ran" sh -c "grep -q 'PASSED' '$T/down.out' && ! grep -q SKIP '$T/down.out'"
check "the cluster is up again at the end" test "$(pg_sql "SELECT 1")" = 1
done_testing
