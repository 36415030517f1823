# pg-harness.sh — the throwaway PostgreSQL cluster the hub's tests use (tests/helpers/
# pg-lib.sh): it runs as an unprivileged user, listens on a Unix socket only, survives a
# restart with its data, and is gone afterwards — also when the test that started it is
# killed with SIGKILL. Skips when the PostgreSQL server is not installed.
. tests/e2e/lib.sh
. tests/helpers/pg-lib.sh
pg_skip_unless_available
check "a cluster starts" pg_start
check "psql reaches it" test "$(pg_sql 'SELECT 40 + 2')" = 42
check "it listens on no TCP address" test -z "$(pg_sql 'SHOW listen_addresses')"
check "the socket is in the cluster's own directory" test -S "$PGDIR/.s.PGSQL.5432"
owner=$(ps -o user= -p "$(head -n 1 "$PGDIR/data/postmaster.pid")")
check "the server does not run as root (runs as $owner)" test "$owner" != root
check "its directory is private (0700)" test "$(stat -c %a "$PGDIR")" = 700
pg_sql "CREATE TABLE t(x int); INSERT INTO t VALUES (7)" >/dev/null
check "a restart keeps the data" pg_restart fast
check "… and it answers again" test "$(pg_sql 'SELECT x FROM t')" = 7
dir=$PGDIR
pg_stop
check "pg_stop removes the cluster" test ! -e "$dir"

# killed outright, the test's EXIT trap never runs: the watchdog cleans up
sh -c '. tests/e2e/lib.sh; . tests/helpers/pg-lib.sh; pg_start && echo "$T" >"$0.t" && echo "$PGDIR" >"$0" && sleep 60' \
    "$T/child.dir" &
child=$!
wait_for 60 test -s "$T/child.dir"
dir=$(cat "$T/child.dir")
check "a child test's cluster is up" test -f "$dir/data/postmaster.pid"
pm=$(head -n 1 "$dir/data/postmaster.pid")
kill -9 "$child"
wait "$child" 2>/dev/null
check "… and gone once the child is killed" wait_for 30 test ! -e "$dir"
check "… its server stopped, not left running" wait_for 10 sh -c "! kill -0 $pm 2>/dev/null"
rm -rf "$(cat "$T/child.dir.t")"	# the child's own scratch directory, left by SIGKILL
done_testing
