# pg-store.sh — the store's unit tests on PostgreSQL: tests/unit/test-hub-pg.c (the
# PostgreSQL store's own), tests/unit/test-hub-pg-group.c (its groups of batches),
# tests/unit/test-hub-workers.c (serve with two ingest workers),
# tests/unit/test-hub-aggregates.c (the hub's aggregates against
# a model and a recount, with purges and kill -9) and tests/unit/test-input-sync.c (records
# the decoder marks bad are put aside, counted, acknowledged past), each run against a
# throwaway cluster (tests/helpers/pg-lib.sh), and tests/unit/test-hub-export.c (the export
# cursor across pages) and tests/unit/test-hub-seq-once.c (a station's seq held once,
# records or put aside, on both backends). Skips when PostgreSQL is not installed.
. tests/e2e/lib.sh
. tests/helpers/pg-lib.sh
pg_skip_unless_available
check "a throwaway cluster starts" pg_start
for t in test-hub-pg test-hub-pg-group test-hub-workers test-hub-aggregates test-input-sync test-hub-export test-hub-group test-hub-seq-once; do
	OUTPOST_TEST_PG="$PGURL" CMOCKA_MESSAGE_OUTPUT=stdout "$PWD/$B/tests/$t" >"$T/$t.out" 2>&1
	rc=$?
	sed 's/^/# /' "$T/$t.out"
	ok $rc "$t passes on PostgreSQL"
	check "… every one of its tests ran" sh -c "grep -q 'PASSED' '$T/$t.out' && ! grep -q SKIP '$T/$t.out'"
done
done_testing
