# pg-store.sh — runs the PostgreSQL store's unit tests (tests/unit/test-hub-pg.c) against a
# throwaway cluster (tests/helpers/pg-lib.sh); skips when PostgreSQL is not installed.
. tests/e2e/lib.sh
. tests/helpers/pg-lib.sh
pg_skip_unless_available
check "a throwaway cluster starts" pg_start
OUTPOST_TEST_PG="$PGURL" CMOCKA_MESSAGE_OUTPUT=stdout "$PWD/$B/tests/test-hub-pg" >"$T/unit.out" 2>&1
rc=$?
sed 's/^/# /' "$T/unit.out"
ok $rc "the PostgreSQL store's unit tests pass on a real server"
check "none of them skipped" sh -c "! grep -q SKIP '$T/unit.out'"
done_testing
