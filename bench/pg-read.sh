#!/bin/sh
# pg-read.sh — bench/hub.sh's read side on the PostgreSQL store: for each N in $HUB_SIZES
# (default "100000 1000000") bench-hub fills a store in a throwaway cluster (fsync on) with
# N records from 200 stations over 28 days, then each outpost-hub command runs as its own
# process under /usr/bin/time (wall time, peak RSS): top --batch (one refresh), report for
# one day, for 28 days and for everything, export (rows/s), purge with nothing due; and the
# database's size per record. Prints a table to paste into bench/README.md.
set -eu
B=${B:-build}
SIZES=${HUB_SIZES:-"100000 1000000"}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
pg_available || { echo "bench/pg-read.sh: PostgreSQL is not installed" >&2; exit 1; }
cleanup_hooks="pg_stop"
pg_start
echo "hub bench pass" >"$T/pass"
HUB=$B/outpost-hub

run() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/out" 2>"$T/err" || {
		echo "$name failed: $(cat "$T/err")" >&2; exit 1; }
	set -- $(cat "$T/time")
	printf '| %-22s | %8.3f s | %6.1f MB |\n' "$name" "$1" "$(echo "$2" | awk '{print $1 / 1024}')"
}

for n in $SIZES; do
	pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "hub$n"
	S="postgresql:///hub$n?host=$PGDIR&user=outpost"
	echo "### PostgreSQL, $n records held ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
	echo
	$B/bench/bench-hub "$S" "$T/pass" "$n" 200 | tail -n 3 | sed 's/^/    /'
	echo
	echo "| command                | wall       | peak RSS  |"
	echo "|------------------------|------------|-----------|"
	H="--store $S --passphrase-file $T/pass"
	run "top --batch (refresh)" $HUB top $H --batch
	run "report, one day" $HUB report $H --since 2026-06-10 --until 2026-06-11
	run "report, 28 days" $HUB report $H --since 2026-05-28 --until 2026-06-25
	run "report, all" $HUB report $H
	run "export csv" $HUB export $H --format csv --out "$T/x.csv"
	rows=$(($(wc -l <"$T/x.csv") - 1))
	secs=$(cut -d' ' -f1 "$T/time")
	bytes=$("$PG_BIN/psql" -X -q -A -t -h "$PGDIR" -U outpost -d "hub$n" -c "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'outpost_hub' AND c.relkind IN ('r', 't', 'm')")
	echo
	echo "export: $rows rows, $(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", r / (s > 0 ? s : 1) }') rows/s; database $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') MB, $(awk -v b="$bytes" -v r="$rows" 'BEGIN { printf "%.0f", b / r }') bytes per record"
	rm -f "$T/x.csv"
	run "purge (all past retention)" $HUB purge $H
	echo
done
