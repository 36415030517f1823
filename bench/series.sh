#!/bin/sh
# series.sh — issue 12's targets as a series: ONE hub store grown to each size of
# $SERIES_SIZES (default "1000000 5000000 10000000" records held), on the backend given as
# the first argument or $SERIES_BACKEND (sqlite | postgresql; default sqlite), measured at
# each size with the hub in its own process (`outpost-hub serve`) and the commands each a
# process of their own:
#   - fill: build/bench/bench-hub grows the store through the store's own ingest, in
#     process (500-record batches, 200 stations, the records spread over the 28 days
#     ending now), from the size before to this one;
#   - PostgreSQL only: VACUUM (ANALYZE) after the fill (what autovacuum would have done
#     over the days the fill stands for), so the push is not measured beside it;
#   - ingest: $SERIES_STATIONS (200) stations of build/bench/bench-stations, the real
#     sync client over CURVE, enrolled once at the start, each pushing its next
#     $SERIES_RECORDS (500) records at once to a fresh `serve`; records/s, and the CPU
#     (user + system) of serve, of PostgreSQL (the postmaster and its children) and of
#     the stations, in µs per record pushed;
#   - PostgreSQL only, unless SERIES_TWO=0: the same push again to one `serve` of one
#     ingest connection, then to two `serve` processes of one connection each on the
#     same store (every other station listing the second first); issue 12's target is
#     two ≥ 1.5× one;
#   - `top --batch` (one refresh), `report` for one day and for the 28 days, `export
#     --format csv` (to a pipe, counted): wall time and peak RSS under /usr/bin/time,
#     with serve still running beside them;
#   - the SQLite WAL's largest size, sampled every 0.2 s through all of the above (and by
#     bench-hub after every batch of the fill); the target is never above 256 MB;
#   - the store's size per record held (PostgreSQL: pg_total_relation_size over every
#     table, TOAST and index of the schema; SQLite: the file).
# Prints one markdown table row per size, then one extrapolating every figure to
# $SERIES_EXTRAPOLATE (60000000) records from a least-squares line over the sizes measured.
# Disk: the store stays (and grows) until the end: about 450 bytes a record on SQLite and
# 850 on PostgreSQL, under ${TMPDIR:-/tmp}; everything is removed on exit, even on failure.
# Other knobs: B (build), SERIES_FILL_STATIONS (200), SERIES_PG_CONF (lines for
# postgresql.conf, separated by ';', e.g. "shared_buffers=256MB"), SERIES_SERVE_ARGS (more
# options for serve, e.g. "--ingest-connections 1"; default none: serve's own defaults).
set -eu
B=${B:-build}
BACKEND=${1:-${SERIES_BACKEND:-sqlite}}
SIZES=${SERIES_SIZES:-"1000000 5000000 10000000"}
NST=${SERIES_STATIONS:-200}
PER=${SERIES_RECORDS:-500}
FILL_ST=${SERIES_FILL_STATIONS:-200}
AT=${SERIES_EXTRAPOLATE:-60000000}
case $BACKEND in
sqlite|postgresql) ;;
*) echo "usage: bench/series.sh [sqlite|postgresql]" >&2; exit 2 ;;
esac
for p in "$B/outpost-hub" "$B/bench/bench-hub" "$B/bench/bench-stations"; do
	[ -x "$p" ] || { echo "bench/series.sh: $p is missing (make bench-series builds it)" >&2; exit 2; }
done
HUB=$PWD/$B/outpost-hub
FILL=$PWD/$B/bench/bench-hub
STATIONS=$PWD/$B/bench/bench-stations
. tests/e2e/lib.sh
SERVE=""
SERVE2=""
SAMPLER=""
stop_serve() {
	[ -z "$SERVE" ] || term_wait "$SERVE" 60 >/dev/null 2>&1 || true
	[ -z "$SERVE2" ] || term_wait "$SERVE2" 60 >/dev/null 2>&1 || true
	SERVE="" SERVE2=""
}
stop_sampler() { [ -z "$SAMPLER" ] || { kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null; } || true; SAMPLER=""; }
cleanup_hooks="stop_sampler stop_serve"
trap 'exit 130' INT TERM HUP	# so lib.sh's EXIT trap removes the store on ^C too
say() { echo "series: $*" >&2; }

if [ "$BACKEND" = postgresql ]; then
	PG_FSYNC=on
	. tests/helpers/pg-lib.sh
	pg_available || { echo "bench/series.sh: PostgreSQL is not installed" >&2; exit 1; }
	pg_start
	if [ -n "${SERIES_PG_CONF:-}" ]; then
		echo "$SERIES_PG_CONF" | tr ';' '\n' >>"$PGDIR/data/postgresql.conf"
		pg_restart
	fi
	S=$PGURL
	PM=$(head -n 1 "$PGDIR/data/postmaster.pid")
else
	S=$T/hub.db
fi
echo "series bench passphrase" >"$T/pass"
chmod 600 "$T/pass"
H="--store $S --passphrase-file $T/pass"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P=$(port)
TWO=0
ENDPOINT="tcp://127.0.0.1:$P"
if [ "$BACKEND" = postgresql ] && [ "${SERIES_TWO:-1}" = 1 ]; then
	TWO=1
	P2=$(port)
	ENDPOINT="$ENDPOINT,tcp://127.0.0.1:$P2"
fi
HZ=$(getconf CLK_TCK)
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }	# KiB to MiB
# CPU seconds (user + system) of processes, by pid
cpu_of() { for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat" |
    awk '{ print $12 + $13 }'; done | awk -v hz="$HZ" '{ t += $1 } END { printf "%.3f", t / hz }'; }
pg_cpu() { cpu_of "$PM" $(pgrep -P "$PM" || true); }
result() { sed -n "s/^RESULT stations $1 //p" "$T/push.out"; }

# serve [PORT [OPTIONS]]: a serve on PORT ($P) with OPTIONS ($SERIES_SERVE_ARGS); its pid
# in SERVE, or SERVE2 when SERVE is taken
serve() {
	sp=${1:-$P}
	: >"$T/serve-$sp.out"
	# shellcheck disable=SC2086 # $H and the options are words
	"$HUB" serve $H ${2:-${SERIES_SERVE_ARGS:-}} --quiet --listen "tcp://127.0.0.1:$sp" \
	    >"$T/serve-$sp.out" 2>"$T/serve-$sp.err" &
	if [ -z "$SERVE" ]; then SERVE=$!; else SERVE2=$!; fi
	wait_for 300 grep -q listening "$T/serve-$sp.out" ||
	    { echo "serve did not start: $(cat "$T/serve-$sp.err")" >&2; exit 1; }
}

# push: every station pushes its next $PER records (BENCH_STATIONS_SPLIT from the caller)
push() {
	"$STATIONS" push "$T/stations" "$PER" >"$T/push.out" 2>"$T/push.err" ||
	    { echo "bench-stations failed: $(cat "$T/push.err" "$T/push.out")" >&2; exit 1; }
}

ns() { date +%s%N; }
# timed NAME CMD...: CMD as its own process under /usr/bin/time; sets WALL (s, from the
# clock around it: /usr/bin/time's own is in hundredths), CPU (user + system, s) and RSS
# (peak, MiB).
timed() {
	name=$1; shift
	t0=$(ns)
	/usr/bin/time -f "%U %S %M" -o "$T/time" "$@" >"$T/out" 2>"$T/err" ||
	    { echo "$name failed: $(cat "$T/err" "$T/time")" >&2; exit 1; }
	t1=$(ns)
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	CPU=$(tail -n 1 "$T/time" | awk '{ printf "%.2f", $1 + $2 }')
	RSS=$(mb "$(tail -n 1 "$T/time" | cut -d' ' -f3)")
}

held() { "$HUB" stations $H --format csv | awk -F, 'NR > 1 { s += $4 } END { print s + 0 }'; }
day() { date -u -d "@$(( $1 / 1000 ))" +%Y-%m-%d; }

# The 28 days the fill spreads records over end an hour from now, so serve's daily purge
# (retention 28 days) has nothing to do for the next 23 hours.
NOW=$(( $(date +%s) * 1000 ))
FIRST=$(( NOW - 27 * 86400000 - 82800000 ))
D1=$(day $(( FIRST + 14 * 86400000 )))
D2=$(day $(( FIRST + 15 * 86400000 )))
F1=$(day "$FIRST")
F2=$(day $(( FIRST + 28 * 86400000 )))

say "$BACKEND store, sizes $SIZES; $NST stations × $PER records per measurement"
"$HUB" init $H --kdf test-cheap --endpoint "$ENDPOINT" >/dev/null
mkdir "$T/stations"
serve
i=1
while [ "$i" -le "$NST" ]; do
	"$HUB" enroll $H --station "bench-$i" | tail -n 1
	i=$((i + 1))
done >"$T/tokens"
"$STATIONS" enroll "$T/stations" <"$T/tokens" >"$T/enroll.out"
[ "$(sed -n 's/^RESULT stations enrolled //p' "$T/enroll.out")" = "$NST" ] ||
    { echo "bench/series.sh: $NST stations asked, $(cat "$T/enroll.out") enrolled" >&2; exit 1; }
stop_serve

if [ "$BACKEND" = sqlite ]; then
	( while :; do stat -c %s "$S-wal" 2>/dev/null || echo 0; sleep 0.2; done ) >>"$T/wal" &
	SAMPLER=$!
fi

if [ "$BACKEND" = postgresql ]; then
	ver="PostgreSQL $("$PG_BIN/psql" -X -A -t -h "$PGDIR" -U outpost -d outpost -c 'SHOW server_version' | cut -d' ' -f1), fsync on"
else
	ver="SQLite $(pkg-config --modversion sqlite3), encrypted (crypto/ VFS)"
fi
echo "$BACKEND, $ver; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with changes)'); $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg); $NST stations × $PER records per ingest run"
echo
echo "| held | load | fill, in process | ingest, $NST stations | CPU µs/record: serve / PostgreSQL / stations | one serve → two (one connection each) | serve peak RSS | top (1 refresh) | report, 1 day | report, 28 days | export csv | WAL max | store bytes/record |"
echo "|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"
: >"$T/points"
for n in $SIZES; do
	say "filling to $n records"
	: >"$T/wal"
	"$FILL" "$S" "$T/pass" "$n" "$FILL_ST" "$FIRST" >"$T/fill.out" 2>"$T/fill.err" ||
	    { echo "bench-hub failed: $(cat "$T/fill.err")" >&2; exit 1; }
	fill=$(grep '^ingest' "$T/fill.out" | tail -n 1 | sed 's/.*: \([0-9]*\) records\/s.*/\1/')
	fillwal=$(sed -n 's/.*WAL max \([0-9.]*\) MB$/\1/p' "$T/fill.out" | tail -n 1)
	# The fill wrote days of records in minutes; a hub that took them over those days had
	# autovacuum keep up as they came. Vacuum now, so the push below does not share the
	# cores with autovacuum catching up on the fill.
	if [ "$BACKEND" = postgresql ]; then
		say "$n: vacuum (analyze) after the fill"
		pg_sql "VACUUM (ANALYZE)" >/dev/null
	fi
	load=$(cut -d' ' -f1 /proc/loadavg)

	say "$n: ingest by $NST stations"
	serve
	h0=$(cpu_of "$SERVE")
	p0=0
	[ "$BACKEND" = postgresql ] && p0=$(pg_cpu)
	push
	h1=$(cpu_of "$SERVE")
	serve_mb=$(mb "$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$SERVE/status")")
	p1=0
	[ "$BACKEND" = postgresql ] && p1=$(pg_cpu)
	pushed=$(result records)
	rate=$(result records_per_s)
	us() { awk -v c="$1" -v r="$pushed" 'BEGIN { printf "%.1f", c * 1e6 / r }'; }
	hub_us=$(us "$(awk -v a="$h0" -v b="$h1" 'BEGIN { print b - a }')")
	st_us=$(us "$(result cpu_s)")
	if [ "$BACKEND" = postgresql ]; then
		pg_us=$(us "$(awk -v a="$p0" -v b="$p1" 'BEGIN { print b - a }')")
	else
		pg_us=-
	fi

	two=-
	if [ "$TWO" = 1 ]; then
		stop_serve
		say "$n: ingest by $NST stations, one serve of one connection"
		serve "$P" "--ingest-connections 1"
		push
		one1=$(result records_per_s)
		stop_serve
		say "$n: ingest by $NST stations, two serve of one connection each"
		serve "$P" "--ingest-connections 1"
		serve "$P2" "--ingest-connections 1"
		BENCH_STATIONS_SPLIT=1 push
		two1=$(result records_per_s)
		stop_serve
		two="$one1 → $two1 rec/s ($(awk -v a="$one1" -v b="$two1" 'BEGIN { printf "%.2f", b / a }')×)"
		serve
	fi

	say "$n: top, report, export"
	timed top "$HUB" top $H --batch
	top_s=$WALL top_c=$CPU top_mb=$RSS
	timed "report, one day" "$HUB" report $H --since "$D1" --until "$D2"
	d1_s=$WALL d1_c=$CPU d1_mb=$RSS
	timed "report, 28 days" "$HUB" report $H --since "$F1" --until "$F2"
	d28_s=$WALL d28_c=$CPU d28_mb=$RSS
	t0=$(ns)
	/usr/bin/time -f "%U %S %M" -o "$T/time" "$HUB" export $H --format csv 2>"$T/err" |
	    wc -l >"$T/rows"
	t1=$(ns)
	if [ "$(wc -l <"$T/time")" -ne 1 ]; then
		echo "export failed: $(cat "$T/err" "$T/time")" >&2
		exit 1
	fi
	exp_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	exp_c=$(awk '{ printf "%.2f", $1 + $2 }' "$T/time")
	exp_mb=$(mb "$(cut -d' ' -f3 "$T/time")")
	rows=$(( $(cat "$T/rows") - 1 ))
	exp_rps=$(awk -v r="$rows" -v s="$exp_s" 'BEGIN { printf "%.0f", r / (s > 0 ? s : 0.01) }')
	stop_serve

	have=$(held)
	if [ "$BACKEND" = postgresql ]; then
		bytes=$(pg_sql "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace s
		    ON s.oid = c.relnamespace WHERE s.nspname = 'outpost_hub' AND c.relkind IN ('r', 't', 'm')")
		wal=- walcell=-
	else
		bytes=$(stat -c %s "$S")
		wal=$( (cat "$T/wal"; awk -v m="${fillwal:-0}" 'BEGIN { printf "%.0f\n", m * 1048576 }') |
		    sort -n | tail -n 1 | awk '{ printf "%.1f", $1 / 1048576 }')
		walcell="$wal MB"
	fi
	bpr=$(awk -v b="$bytes" -v h="$have" 'BEGIN { printf "%.0f", b / h }')
	[ "$rows" -eq "$have" ] || say "$n: export wrote $rows rows, the store holds $have records"
	printf '| %s | %s | %s rec/s | %s rec/s | %s / %s / %s | %s | %s MB | %s s (%s cpu), %s MB | %s s (%s cpu), %s MB | %s s (%s cpu), %s MB | %s rows/s (%s s cpu), %s MB | %s | %s |\n' \
	    "$have" "$load" "${fill:--}" "$rate" "$hub_us" "$pg_us" "$st_us" "$two" "$serve_mb" \
	    "$top_s" "$top_c" "$top_mb" "$d1_s" "$d1_c" "$d1_mb" "$d28_s" "$d28_c" "$d28_mb" \
	    "$exp_rps" "$exp_c" "$exp_mb" "$walcell" "$bpr"
	echo "$have $rate $hub_us $pg_us $st_us $serve_mb $top_s $top_mb $d1_s $d1_mb $d28_s $d28_mb $exp_rps $exp_mb $wal $bpr" >>"$T/points"
done

# One least-squares line per column over the sizes measured, read at $AT records.
awk -v at="$AT" -v backend="$BACKEND" '
{ k++; for (c = 1; c <= NF; c++) v[k, c] = $c; nf = NF }
function fit(c,   i, n, sx, sy, sxx, sxy, b, a) {
	n = sx = sy = sxx = sxy = 0
	for (i = 1; i <= k; i++) {
		if (v[i, c] == "-") return "-"
		n++; sx += v[i, 1]; sy += v[i, c]; sxx += v[i, 1] * v[i, 1]; sxy += v[i, 1] * v[i, c]
	}
	if (n < 2 || n * sxx == sx * sx) return "n/a"
	b = (n * sxy - sx * sy) / (n * sxx - sx * sx)
	a = (sy - b * sx) / n
	return a + b * at
}
function f(c, d,   x) { x = fit(c); return x == "-" || x == "n/a" ? x : sprintf("%." d "f", x) }
END {
	if (k < 2) {
		printf "\n(one size measured: no line to extrapolate to %d records)\n", at
		exit
	}
	printf "| **%d, extrapolated** | | | %s rec/s | %s / %s / %s | | %s MB | %s s, %s MB | %s s, %s MB | %s s, %s MB | %s rows/s, %s MB | %s | %s |\n",
	    at, f(2, 0), f(3, 1), f(4, 1), f(5, 1), f(6, 1), f(7, 3), f(8, 1), f(9, 3), f(10, 1),
	    f(11, 3), f(12, 1), f(13, 0), f(14, 1), f(15, 1) (f(15, 1) == "-" ? "" : " MB"), f(16, 0)
	printf "\nThe last row is an extrapolation, not a measurement: each figure read at %d records\n", at
	printf "from the least-squares line through its %d measured points (%s).\n", k, backend
}' "$T/points"
