#!/bin/sh
# PostgreSQL ingest, one batch a transaction against groups (hubstore_ingest_group), side
# by side on one store: a throwaway cluster (tests/helpers/pg-lib.sh, fsync on), STATIONS
# stations, filled first to HELD records (groups, not measured), then windows of WINDOW
# records a station, alternating: one process one batch a transaction, one process in
# groups, two processes each way; per window the ingest rate, the hub processes' CPU and
# the cluster's (its postmaster and every child, those that ended included) per record.
# The store is called directly (bench/pg-group.c), no serve and no network in between.
# Not part of make test.
# With BENCH_PGG_BEFORE=DIR (a build directory of other code with DIR/bench/bench-pg-group)
# the same windows run with it too, on its own database in the same cluster, alternating.
# Environment: B, BENCH_PGG_STATIONS (200), BENCH_PGG_HELD (1000000), BENCH_PGG_WINDOW
# (records a station a window, 250), BENCH_PGG_BATCH (154), BENCH_PGG_REPEAT (2),
# BENCH_PGG_BEFORE, BENCH_PG_CONF (lines added to postgresql.conf).
set -e
B=${B:-build}
NST=${BENCH_PGG_STATIONS:-200}
HELD=${BENCH_PGG_HELD:-1000000}
WIN=${BENCH_PGG_WINDOW:-250}
BATCH=${BENCH_PGG_BATCH:-154}
REPEAT=${BENCH_PGG_REPEAT:-2}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
if ! pg_available; then echo "bench/pg-group.sh: PostgreSQL is not installed" >&2; exit 1; fi
cleanup_hooks="pg_stop"
pg_start
if [ -n "$BENCH_PG_CONF" ]; then
	printf '%s\n' "$BENCH_PG_CONF" >>"$PGDIR/data/postgresql.conf"
	pg_restart
fi
PASS="hub passphrase"
# The builds compared: label, directory, database.
BUILDS="after:$B:outpost"
[ -n "$BENCH_PGG_BEFORE" ] && BUILDS="before:$BENCH_PGG_BEFORE:before $BUILDS"
url_of() { echo "postgresql:///$1?host=$PGDIR&user=outpost"; }
sql_in() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" -U outpost -d "$1" -c "$2"; }
pg_cpu() {
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	{ awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
	  for p in $(pgrep -P "$pm"); do cat "/proc/$p/stat" 2>/dev/null; done |
	    awk '{print $14 + $15}'; } | awk -v hz="$(getconf CLK_TCK)" '{ t += $1 } END { printf "%.2f", t / hz }'
}
result() { sed -n "s/^RESULT pgg $1 //p" "$2"; }
# Waits until the postmaster has no more children than its own processes: a run's
# backends end after it, and until the postmaster reaps one its CPU is in no process's
# figures (neither a live child's nor the postmaster's children's): measured without the
# wait, one run's backend CPU landed in the next run's window.
settle() {
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	wait_for 60 sh -c "[ \$(pgrep -P $pm | wc -l) -le $AUX ]" || true
}
AUX=$(pgrep -P "$(head -n 1 "$PGDIR/data/postmaster.pid")" | wc -l)
per=$((HELD / NST))
for b in $BUILDS; do
	d=${b##*:}
	dir=$(echo "$b" | cut -d: -f2)
	[ "$d" = outpost ] || pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "$d"
	"$dir/bench/bench-pg-group" init "$(url_of "$d")" "$PASS" "$NST"
	echo "${b%%:*}: filling to $HELD records ($NST stations × $per, over 28 days)…" >&2
	[ "$per" -gt 0 ] && BENCH_PGG_DAYS=28 "$dir/bench/bench-pg-group" run "$(url_of "$d")" \
	    "$PASS" group 2 0 "$per" "$BATCH" >"$T/fill"
done
printf '| build | records held before | mode | processes | records/s | hub CPU µs/record | PostgreSQL CPU µs/record | load |\n'
printf '|---|---:|---|---:|---:|---:|---:|---|\n'
at=$per
rep=0
while [ "$rep" -lt "$REPEAT" ]; do
	for procs in 1 2; do
		for mode in one group; do
			for b in $BUILDS; do
				d=${b##*:}
				dir=$(echo "$b" | cut -d: -f2)
				held=$(sql_in "$d" "SELECT sum(held) FROM outpost_hub.station_state")
				settle
				c0=$(pg_cpu)
				"$dir/bench/bench-pg-group" run "$(url_of "$d")" "$PASS" "$mode" "$procs" \
				    "$at" "$((at + WIN))" "$BATCH" >"$T/r"
				settle
				c1=$(pg_cpu)
				n=$(result records "$T/r")
				printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${b%%:*}" "$held" \
				    "$mode" "$procs" "$(result records_per_s "$T/r")" \
				    "$(python3 -c "print('%.1f' % ($(result hub_cpu_s "$T/r") * 1e6 / $n))")" \
				    "$(python3 -c "print('%.1f' % (($c1 - $c0) * 1e6 / $n))")" \
				    "$(cut -d' ' -f1-3 /proc/loadavg)"
			done
			at=$((at + WIN))
		done
	done
	rep=$((rep + 1))
done
for b in $BUILDS; do
	d=${b##*:}
	held=$(sql_in "$d" "SELECT count(*) FROM outpost_hub.records")
	echo "${b%%:*}: $(sql_in "$d" "SELECT round(sum(pg_total_relation_size(c.oid)) / $held) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'outpost_hub' AND c.relkind IN ('r', 't', 'm')") bytes a record held ($held records), roots rows $(sql_in "$d" "SELECT count(*) FROM outpost_hub.roots")"
done
