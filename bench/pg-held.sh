#!/bin/sh
# pg-held.sh — PostgreSQL's CPU per ingested record on a store that holds many already
# (issue 12): a throwaway cluster (tests/helpers/pg-lib.sh, fsync on, shared_buffers 1GB,
# autovacuum off so neither build is measured beside a vacuum of the other's tables), one
# database per build compared, each filled by its own bench-hub to BENCH_HELD records (200
# stations over 28 days, the store's own ingest in process, 500-record batches) and
# vacuumed (analyze); then BENCH_ROUNDS rounds, each adding BENCH_MORE records to every
# build's store in turn (alternating, so the machine's load falls on both alike): with
# BENCH_MODE=push (the default) 200 stations of bench-stations (the real sync client,
# records of now) push them through a fresh `outpost-hub serve` (its defaults: two ingest
# connections); with BENCH_MODE=fill bench-hub adds them in process (spread over the 28
# days). Measured over each: the cluster's CPU (user + system of the postmaster, its live
# children and those it reaped, from /proc), serve's (or bench-hub's), the records/s.
# Prints one line per build and round, then the mean per build, then the store's size a
# record held. Not part of make test.
# Environment: B (this build, "after"), BENCH_PG_BEFORE (a build directory of other code,
# "before"; optional), BENCH_HELD (1000000), BENCH_MORE (100000), BENCH_ROUNDS (3),
# BENCH_MODE (push | fill).
set -e
B=${B:-build}
HELD=${BENCH_HELD:-1000000}
MORE=${BENCH_MORE:-100000}
ROUNDS=${BENCH_ROUNDS:-3}
MODE=${BENCH_MODE:-push}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
if ! pg_available; then echo "bench/pg-held.sh: PostgreSQL is not installed" >&2; exit 1; fi
SERVE=""
stop_serve() { [ -z "$SERVE" ] || term_wait "$SERVE" 60 >/dev/null 2>&1 || true; SERVE=""; }
cleanup_hooks="stop_serve pg_stop"
pg_start
printf '%s\n' "shared_buffers = 1GB" "autovacuum = off" >>"$PGDIR/data/postgresql.conf"
pg_restart
umask 077
echo "hub passphrase" >"$T/hp"
BUILDS="after:$B"
[ -n "${BENCH_PG_BEFORE:-}" ] && BUILDS="before:$BENCH_PG_BEFORE $BUILDS"
url_of() { echo "postgresql:///$1?host=$PGDIR&user=outpost"; }
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve() {	# serve BUILD DB: on port P, serve's own defaults (two ingest connections)
	: >"$T/serve.out"
	"$1/outpost-hub" serve --store "$(url_of "$2")" --passphrase-file "$T/hp" --quiet \
	    --listen "tcp://127.0.0.1:$P" >"$T/serve.out" 2>"$T/serve.err" &
	SERVE=$!
	wait_for 300 grep -q listening "$T/serve.out" ||
	    { echo "serve did not start: $(cat "$T/serve.err")" >&2; exit 1; }
}
HZ=$(getconf CLK_TCK)
PM=$(head -n 1 "$PGDIR/data/postmaster.pid")
cpu_of() { for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat" |
    awk '{ print $12 + $13 }'; done | awk -v hz="$HZ" '{ t += $1 } END { printf "%.3f", t / hz }'; }
# the cluster: the postmaster's own and its reaped children's times, and its live children
pg_cpu() { { sed 's/^.*) //' "/proc/$PM/stat" | awk '{ print $12 + $13 + $14 + $15 }'
    for p in $(pgrep -P "$PM"); do sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null |
    awk '{ print $12 + $13 }'; done; } | awk -v hz="$HZ" '{ t += $1 } END { printf "%.3f", t / hz }'; }
# the cluster's CPU once the backends of a program that ended are gone (the postmaster
# reaps them a moment after the program exits: only then are their times its own)
pg_cpu_settled() { i=0; while [ "$(pgrep -c -P "$PM")" -gt "$1" ] && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i + 1)); done; pg_cpu; }
NOW=$(( $(date +%s) * 1000 ))
FIRST=$(( NOW - 27 * 86400000 - 82800000 ))
echo "pg-held: $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), held $HELD, $ROUNDS rounds of $MORE"
for b in $BUILDS; do
	d=${b%%:*}
	pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "$d"
	"${b#*:}/outpost-hub" init --store "$(url_of "$d")" --passphrase-file "$T/hp" --kdf test-cheap \
	    --endpoint "tcp://127.0.0.1:$P" >/dev/null
	"${b#*:}/bench/bench-hub" "$(url_of "$d")" "$T/hp" "$HELD" 200 "$FIRST" >"$T/fill-$d" ||
	    { echo "pg-held: fill $d failed" >&2; exit 1; }
	"$PG_BIN/psql" -X -q -h "$PGDIR" -U outpost -d "$d" -c "VACUUM (ANALYZE)" >/dev/null
	echo "fill $d: $(grep '^ingest' "$T/fill-$d" | tail -n 1)"
	if [ "$MODE" = push ]; then
		serve "${b#*:}" "$d"
		i=1
		while [ "$i" -le 200 ]; do
			"${b#*:}/outpost-hub" enroll --store "$(url_of "$d")" --passphrase-file "$T/hp" \
			    --station "bench-$i" | tail -n 1
			i=$((i + 1))
		done >"$T/tokens-$d"
		mkdir "$T/st-$d"
		"${b#*:}/bench/bench-stations" enroll "$T/st-$d" <"$T/tokens-$d" >/dev/null
		stop_serve
	fi
done
n=$HELD
r=1
while [ "$r" -le "$ROUNDS" ]; do
	n=$((n + MORE))
	for b in $BUILDS; do
		d=${b%%:*}
		if [ "$MODE" = push ]; then
			serve "${b#*:}" "$d"
			p0=$(pg_cpu)
			h0=$(cpu_of "$SERVE")
			"${b#*:}/bench/bench-stations" push "$T/st-$d" $((MORE / 200)) >"$T/push-$d" ||
			    { echo "pg-held: push $d failed" >&2; exit 1; }
			p1=$(pg_cpu)
			h1=$(cpu_of "$SERVE")
			awk -v a="$h0" -v b="$h1" 'BEGIN { print 0, b - a }' >"$T/time"
			got=$(sed -n 's/^RESULT stations records //p' "$T/push-$d")
			rate=$(sed -n 's/^RESULT stations records_per_s //p' "$T/push-$d")
			stop_serve
		else
			k=$(pgrep -c -P "$PM")
			p0=$(pg_cpu)
			/usr/bin/time -f "%U %S" -o "$T/time" "${b#*:}/bench/bench-hub" "$(url_of "$d")" \
			    "$T/hp" "$n" 200 "$FIRST" >"$T/grow-$d" ||
			    { echo "pg-held: grow $d failed" >&2; exit 1; }
			p1=$(pg_cpu_settled "$k")
			got=$MORE
			rate=$(grep '^ingest' "$T/grow-$d" | tail -n 1 | sed 's/.*: \([0-9]*\) records\/s.*/\1/')
		fi
		awk -v d="$d" -v r="$r" -v a="$p0" -v b="$p1" -v m="$got" -v rate="$rate" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
		    -v h="$(awk '{ print $1 + $2 }' "$T/time")" \
		    'BEGIN { printf "round %d %s: PostgreSQL %.2f µs/record, hub %.2f µs/record, %s records/s, load %s\n",
		    r, d, (b - a) * 1e6 / m, h * 1e6 / m, rate, l }' | tee -a "$T/rounds"
	done
	r=$((r + 1))
done
for b in $BUILDS; do
	d=${b%%:*}
	grep " $d: " "$T/rounds" | awk -v d="$d" '{ p += $5; h += $8; k++ }
	    END { printf "RESULT pg-held %s postgresql_us %.2f hub_us %.2f\n", d, p / k, h / k }'
done
for d in before after; do
	"$PG_BIN/psql" -X -A -t -h "$PGDIR" -U outpost -d "$d" -c "SELECT 'size $d ' ||
	    sum(pg_total_relation_size(c.oid)) / (SELECT sum(held) FROM outpost_hub.station_state)
	    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE
	    n.nspname = 'outpost_hub' AND c.relkind = 'r'" 2>/dev/null || true
done
