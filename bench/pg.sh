#!/bin/sh
# PostgreSQL hub store benchmark (issue 12): a throwaway cluster (tests/helpers/pg-lib.sh,
# fsync on), one store, stations simulated with the real sync client
# ($B/bench/bench-pg-stations) pushing typical visitor records at once to one
# `outpost-hub serve` process storing on one connection (phase one), then to one process
# storing on two (--ingest-connections 2, phase one2), then to two processes of one
# connection each on the same store (every other station listing the second first; phase
# two); the ingest rate of each, the CPU each party used, and the store's size per record
# held (pg_total_relation_size of every table and index of the schema). A build without
# --ingest-connections serves its own way in every phase.
# With BENCH_PG_BEFORE=DIR (a build directory of other code: DIR/outpost-hub and
# DIR/bench/bench-pg-stations) the same runs are made with it too, on its own database in
# the same cluster, each step alternating with this build's, and printed side by side.
# Not part of make test.
# Environment: B, BENCH_PG_STATIONS (50), BENCH_PG_RECORDS (records per station, 2000),
# BENCH_PG_BEFORE, BENCH_PG_CONF (lines added to postgresql.conf), BENCH_PG_PHASES (the
# phases run, of "one one2 two", in that order; default all three).
set -e
B=${B:-build}
NST=${BENCH_PG_STATIONS:-50}
PER=${BENCH_PG_RECORDS:-2000}
PHASES=${BENCH_PG_PHASES:-one one2 two}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
if ! pg_available; then echo "bench/pg.sh: PostgreSQL is not installed" >&2; exit 1; fi
PIDS=""
stop_hubs() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=""; }
cleanup_hooks="stop_hubs pg_stop"
pg_start
if [ -n "$BENCH_PG_CONF" ]; then
	printf '%s\n' "$BENCH_PG_CONF" >>"$PGDIR/data/postgresql.conf"
	pg_restart
fi
umask 077
echo "hub passphrase" >"$T/hp"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The builds compared: label, directory, database.
BUILDS="after:$B:outpost"
[ -n "$BENCH_PG_BEFORE" ] && BUILDS="before:$BENCH_PG_BEFORE:before $BUILDS"
url_of() { echo "postgresql:///$1?host=$PGDIR&user=outpost"; }
sql_in() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" -U outpost -d "$1" -c "$2"; }
for b in $BUILDS; do
	d=${b##*:}
	[ "$d" = outpost ] || pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "$d"
	bin=$(echo "$b" | cut -d: -f2)
	p1=$(port)
	p2=$(port)
	echo "$p1 $p2" >"$T/ports-$d"
	"$bin/outpost-hub" init --store "$(url_of "$d")" --passphrase-file "$T/hp" --kdf test-cheap \
	    --endpoint "tcp://127.0.0.1:$p1,tcp://127.0.0.1:$p2" >/dev/null
done
serve() {	# serve BIN DB PORT CONNECTIONS
	: >"$T/serve-$3.out"
	set -- "$1" "$2" "$3" "--ingest-connections $4"
	"$1/outpost-hub" serve --help 2>&1 | grep -q ingest-connections || set -- "$1" "$2" "$3" ""
	# shellcheck disable=SC2086 # $4 is an option and its value, or nothing
	"$1/outpost-hub" serve --store "$(url_of "$2")" --passphrase-file "$T/hp" --quiet \
	    --listen "tcp://127.0.0.1:$3" $4 >"$T/serve-$3.out" 2>"$T/serve-$3.err" &
	PIDS="$PIDS $!"
	wait_for 20 grep -q listening "$T/serve-$3.out"
}
tokens() {	# tokens BIN DB PREFIX: enrolls NST stations, one token a line
	i=1
	while [ "$i" -le "$NST" ]; do
		"$1/outpost-hub" enroll --store "$(url_of "$2")" --passphrase-file "$T/hp" \
		    --station "$3-$i" | tail -n 1
		i=$((i + 1))
	done
}
result() { sed -n "s/^RESULT pg $1 //p" "$2"; }
# CPU seconds (user + system) used so far by the hub processes, and by this cluster: its
# postmaster, its live processes and those that ended (the postmaster's children's times;
# other clusters on the machine may run as the same user, so by parent, not by user)
cpu_of() { for p in "$@"; do [ -r "/proc/$p/stat" ] && awk '{print $14 + $15}' "/proc/$p/stat"; done |
    awk -v hz="$(getconf CLK_TCK)" '{ t += $1 } END { printf "%.2f", t / hz }'; }
pg_cpu() {
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	{ awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
	  for p in $(pgrep -P "$pm"); do cat "/proc/$p/stat" 2>/dev/null; done |
	    awk '{print $14 + $15}'; } | awk -v hz="$(getconf CLK_TCK)" '{ t += $1 } END { printf "%.2f", t / hz }'
}
sub() { python3 -c "print('%.2f' % ($1 - $2))"; }
run() {	# run LABEL BIN DB PHASE (one|one2|two)
	set -- "$1" "$2" "$3" "$4" $(cat "$T/ports-$3")
	echo "== $1 ($2): phase $4, $NST stations × $PER records" >&2
	conns=1
	[ "$4" = one2 ] && conns=2
	serve "$2" "$3" "$5" "$conns"
	[ "$4" = two ] && serve "$2" "$3" "$6" 1
	tokens "$2" "$3" "$4" >"$T/tok-$1-$4"
	pg0=$(pg_cpu)
	h0=$(cpu_of $PIDS)
	split=0
	[ "$4" = two ] && split=1
	BENCH_PG_SPLIT=$split /usr/bin/time -f "%U %S" -o "$T/st.cpu" "$2/bench/bench-pg-stations" \
	    "$PER" <"$T/tok-$1-$4" >"$T/r-$1-$4"
	load=$(cut -d' ' -f1 /proc/loadavg)
	echo "hub $(sub "$(cpu_of $PIDS)" "$h0") s, PostgreSQL $(sub "$(pg_cpu)" "$pg0") s, stations $(awk '{printf "%.1f", $1 + $2}' "$T/st.cpu") s; load $load" >"$T/cpu-$1-$4"
	stop_hubs
}
for phase in $PHASES; do
	for b in $BUILDS; do
		run "${b%%:*}" "$(echo "$b" | cut -d: -f2)" "${b##*:}" "$phase"
	done
done
row() {	# row TITLE CMD: one cell per build, CMD run with the label and the database
	printf '| %s |' "$1"
	for b in $BUILDS; do printf ' %s |' "$($2 "${b%%:*}" "${b##*:}")"; done
	echo
}
rate() { echo "$(result records_per_s "$T/r-$1-$PH") records/s ($(result records "$T/r-$1-$PH") in $(result seconds "$T/r-$1-$PH") s)"; }
ratio() { python3 -c "print('%.2f' % ($(result records_per_s "$T/r-$1-two") / $(result records_per_s "$T/r-$1-one")))"; }
ratio_one2() { python3 -c "print('%.2f' % ($(result records_per_s "$T/r-$1-one2") / $(result records_per_s "$T/r-$1-one")))"; }
cpu() { cat "$T/cpu-$1-$PH"; }
us_per() { python3 -c "print('%.1f' % ($(sed 's/.*PostgreSQL \([0-9.]*\) s.*/\1/' "$T/cpu-$1-$PH") * 1e6 / $(result records "$T/r-$1-$PH")))"; }
size() {
	held=$(sql_in "$2" "SELECT count(*) FROM outpost_hub.records")
	bytes=$(sql_in "$2" "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n
	    ON n.oid = c.relnamespace WHERE n.nspname = 'outpost_hub' AND c.relkind IN ('r', 't', 'm')")
	echo "$(python3 -c "print('%.0f' % ($bytes / $held))") bytes ($held records, $(python3 -c "print('%.1f' % ($bytes / 1048576))") MiB)"
}
version() { sql_in "$2" "SELECT version FROM outpost_hub.schema_version"; }
printf '| PostgreSQL %s, fsync on, %s stations × %s records, %s |' \
    "$(pg_sql 'SHOW server_version' | cut -d' ' -f1)" "$NST" "$PER" "$(date -u '+%Y-%m-%d %H:%M UTC')"
for b in $BUILDS; do printf ' %s |' "${b%%:*}"; done
echo
printf '|---|'
for b in $BUILDS; do printf -- '---|'; done
echo
row "store schema version" version
has() { case " $PHASES " in *" $1 "*) return 0;; esac; return 1; }
title() { case $1 in one) echo "one hub process";; one2) echo "one hub process, 2 ingest connections";;
    two) echo "two hub processes";; esac; }
for PH in $PHASES; do row "ingest, $(title $PH)" rate; done
has one && has one2 && row "one2 ÷ one" ratio_one2
has one && has two && row "two ÷ one" ratio
for PH in $PHASES; do row "CPU (and load average at the end), $(title $PH)" cpu; done
for PH in $PHASES; do row "PostgreSQL CPU per record, $(title $PH) (µs)" us_per; done
row "store size per record held (every table and index)" size
echo
for b in $BUILDS; do
	echo "Bytes per record held by table, ${b%%:*} (heap and TOAST, then its indexes):"
	echo
	d=${b##*:}
	held=$(sql_in "$d" "SELECT count(*) FROM outpost_hub.records")
	sql_in "$d" "SELECT '| ' || coalesce(p.relname, c.relname) || ' | ' ||
	    round(sum(pg_table_size(c.oid))::numeric / $held) || ' | ' ||
	    round(sum(pg_indexes_size(c.oid))::numeric / $held) || ' |'
	    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
	    WHERE n.nspname = 'outpost_hub' AND c.relkind = 'r'
	    GROUP BY coalesce(p.relname, c.relname) ORDER BY sum(pg_total_relation_size(c.oid)) DESC
	    LIMIT 4" | sed '1i| table | heap | indexes |\n|---|---:|---:|'
	echo
done
