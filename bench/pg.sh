#!/bin/sh
# PostgreSQL hub store benchmark (issue 12): a throwaway cluster (tests/helpers/pg-lib.sh,
# fsync on), one store, stations simulated with the real sync client
# ($B/bench/bench-pg-stations) pushing typical visitor records at once to one
# `outpost-hub serve` process, then to two on the same store (every other station listing
# the second first); the ingest rate of each, and the store's size per record held
# (pg_total_relation_size of every table and index of the schema). Not part of make test.
# Environment: B, BENCH_PG_STATIONS (50), BENCH_PG_RECORDS (records per station, 2000).
set -e
B=${B:-build}
NST=${BENCH_PG_STATIONS:-50}
PER=${BENCH_PG_RECORDS:-2000}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
if ! pg_available; then echo "bench/pg.sh: PostgreSQL is not installed" >&2; exit 1; fi
PIDS=""
stop_hubs() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=""; }
cleanup_hooks="stop_hubs pg_stop"
pg_start
echo "hub passphrase" >"$T/hp"
hub() { "$B/outpost-hub" "$@" --store "$PGURL" --passphrase-file "$T/hp"; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P1=$(port)
P2=$(port)
hub init --kdf test-cheap --endpoint "tcp://127.0.0.1:$P1,tcp://127.0.0.1:$P2" >/dev/null
serve() {
	: >"$T/serve-$1.out"
	"$B/outpost-hub" serve --store "$PGURL" --passphrase-file "$T/hp" --quiet \
	    --listen "tcp://127.0.0.1:$1" >"$T/serve-$1.out" 2>"$T/serve-$1.err" &
	PIDS="$PIDS $!"
	wait_for 20 grep -q listening "$T/serve-$1.out"
}
tokens() {	# tokens PREFIX: enrolls NST stations, one token a line
	i=1
	while [ "$i" -le "$NST" ]; do
		hub enroll --station "$1-$i" | tail -n 1
		i=$((i + 1))
	done
}
result() { sed -n "s/^RESULT pg $1 //p" "$2"; }
# CPU seconds (user + system) used so far by the cluster's processes and the hub processes
cpu_of() { for p in "$@"; do [ -r "/proc/$p/stat" ] && awk '{print $14 + $15}' "/proc/$p/stat"; done |
    awk -v hz="$(getconf CLK_TCK)" '{ t += $1 } END { printf "%.1f", t / hz }'; }
pg_pids() { pgrep -d ' ' -u "$(stat -c %u "$PGDIR/data")" postgres; }

echo "== one hub process, $NST stations × $PER records" >&2
serve "$P1"
tokens one >"$T/tok1"
pg0=$(cpu_of $(pg_pids))
/usr/bin/time -f "%U %S" -o "$T/st1.cpu" "$B/bench/bench-pg-stations" "$PER" <"$T/tok1" >"$T/r1"
cpu1="hub $(cpu_of $PIDS) s, PostgreSQL $(python3 -c "print('%.1f' % ($(cpu_of $(pg_pids)) - $pg0))") s, stations $(awk '{printf "%.1f", $1 + $2}' "$T/st1.cpu") s"
stop_hubs
echo "== two hub processes" >&2
serve "$P1"
serve "$P2"
tokens two >"$T/tok2"
pg0=$(cpu_of $(pg_pids))
BENCH_PG_SPLIT=1 /usr/bin/time -f "%U %S" -o "$T/st2.cpu" "$B/bench/bench-pg-stations" "$PER" \
    <"$T/tok2" >"$T/r2"
cpu2="hubs $(cpu_of $PIDS) s, PostgreSQL $(python3 -c "print('%.1f' % ($(cpu_of $(pg_pids)) - $pg0))") s, stations $(awk '{printf "%.1f", $1 + $2}' "$T/st2.cpu") s"
stop_hubs
held=$(pg_sql "SELECT count(*) FROM outpost_hub.records")
bytes=$(pg_sql "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n
    ON n.oid = c.relnamespace WHERE n.nspname = 'outpost_hub' AND c.relkind IN ('r', 't', 'm')")
bodies=$(pg_sql "SELECT avg(length(body)) FROM outpost_hub.records")
r1=$(result records_per_s "$T/r1")
r2=$(result records_per_s "$T/r2")
cat <<EOT
| PostgreSQL $(pg_sql 'SHOW server_version' | cut -d' ' -f1), fsync on, $NST stations × $PER records | |
|---|---|
| ingest, one hub process | $r1 records/s ($(result records "$T/r1") in $(result seconds "$T/r1") s) |
| ingest, two hub processes | $r2 records/s ($(result records "$T/r2") in $(result seconds "$T/r2") s) |
| two ÷ one | $(python3 -c "print('%.2f' % ($r2 / $r1))") |
| CPU, one hub process | $cpu1 |
| CPU, two hub processes | $cpu2 |
| store size per record held | $(python3 -c "print('%.0f' % ($bytes / $held))") bytes ($held records, $(python3 -c "print('%.1f' % ($bytes / 1048576))") MiB, every table and index) |
| sealed body, mean | $(python3 -c "print('%.0f' % $bodies)") bytes |
EOT
echo
echo "Bytes per record held, by table (heap and TOAST, then its indexes):"
echo
pg_sql "SELECT '| ' || coalesce(p.relname, c.relname) || ' | ' ||
    round(sum(pg_table_size(c.oid))::numeric / $held) || ' | ' ||
    round(sum(pg_indexes_size(c.oid))::numeric / $held) || ' |'
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
    WHERE n.nspname = 'outpost_hub' AND c.relkind = 'r'
    GROUP BY coalesce(p.relname, c.relname) ORDER BY sum(pg_total_relation_size(c.oid)) DESC
    LIMIT 6" | sed '1i| table | heap | indexes |\n|---|---:|---:|' 
