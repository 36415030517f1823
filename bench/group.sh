#!/bin/sh
# group.sh — group commit measured side by side: two `outpost-hub serve` binaries (BEFORE,
# e.g. one built from the commit before group commit, and this tree's build/outpost-hub)
# take turns on ONE SQLite store filled to $GROUP_SIZE (1000000) records held with
# build/bench/bench-hub, as bench/series.sh fills it. Each turn: a fresh serve of one
# binary, $GROUP_STATIONS (200) stations of build/bench/bench-stations pushing their next
# $GROUP_RECORDS (500) records at once; the turns alternate A B B A … for $GROUP_ROUNDS
# (2) rounds so a drift of the machine's load falls on both. Per turn: records/s (wall),
# serve's CPU (user + system) in µs per record, and the batches per commit serve printed
# on stopping (this tree's only). Then one more turn of each binary under an LD_PRELOAD
# counter (bench/walcount.c, built here) for the WAL frames and database pages written
# per record: separate turns, so the counter's own cost is in no CPU figure.
#   bench/group.sh BEFORE_HUB
# Prints markdown rows. Disk: about 450 bytes a record under ${TMPDIR:-/tmp}, removed on
# exit.
set -eu
B=${B:-build}
BEFORE=${1:?usage: bench/group.sh BEFORE_HUB}
SIZE=${GROUP_SIZE:-1000000}
NST=${GROUP_STATIONS:-200}
PER=${GROUP_RECORDS:-500}
ROUNDS=${GROUP_ROUNDS:-2}
AFTER=$PWD/$B/outpost-hub
FILL=$PWD/$B/bench/bench-hub
STATIONS=$PWD/$B/bench/bench-stations
for p in "$BEFORE" "$AFTER" "$FILL" "$STATIONS"; do
	[ -x "$p" ] || { echo "bench/group.sh: $p is missing" >&2; exit 2; }
done
. tests/e2e/lib.sh
SERVE=""
stop_serve() { [ -z "$SERVE" ] || term_wait "$SERVE" 60 >/dev/null 2>&1 || true; SERVE=""; }
cleanup_hooks="stop_serve"
trap 'exit 130' INT TERM HUP
say() { echo "group: $*" >&2; }
cc -O2 -shared -fPIC -o "$T/walcount.so" bench/walcount.c -ldl
S=$T/hub.db
echo "group bench passphrase" >"$T/pass"
chmod 600 "$T/pass"
H="--store $S --passphrase-file $T/pass"
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HZ=$(getconf CLK_TCK)
cpu_of() { sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$HZ" '{ printf "%.3f", ($12 + $13) / hz }'; }
result() { sed -n "s/^RESULT stations $1 //p" "$T/push.out"; }
# serve BINARY [ENV...]
serve() {
	bin=$1; shift
	: >"$T/serve.out"
	env "$@" "$bin" serve $H --quiet --listen "tcp://127.0.0.1:$P" >"$T/serve.out" 2>"$T/serve.err" &
	SERVE=$!
	wait_for 300 grep -q listening "$T/serve.out" ||
	    { echo "serve did not start: $(cat "$T/serve.err")" >&2; exit 1; }
}

"$AFTER" init $H --kdf test-cheap --endpoint "tcp://127.0.0.1:$P" >/dev/null
mkdir "$T/stations"
serve "$AFTER"
i=1
while [ "$i" -le "$NST" ]; do
	"$AFTER" enroll $H --station "bench-$i" | tail -n 1
	i=$((i + 1))
done >"$T/tokens"
"$STATIONS" enroll "$T/stations" <"$T/tokens" >"$T/enroll.out"
stop_serve
NOW=$(( $(date +%s) * 1000 ))
say "filling to $SIZE records"
"$FILL" "$S" "$T/pass" "$SIZE" 200 $(( NOW - 27 * 86400000 - 82800000 )) >"$T/fill.out" 2>"$T/fill.err" ||
    { echo "bench-hub failed: $(cat "$T/fill.err")" >&2; exit 1; }

echo "SQLite $(pkg-config --modversion sqlite3), encrypted; after: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' (with changes)'); $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); $NST stations × $PER records a turn, store filled to $SIZE"
echo
echo "| turn | serve | held before | load | records/s | serve CPU µs/record | stations CPU µs/record | batches per commit |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
# turn N NAME BINARY [ENV...]: one push by every station to a fresh serve
turn() {
	n=$1 name=$2; shift 2
	held=$("$AFTER" stations $H --format csv | awk -F, 'NR > 1 { s += $4 } END { print s + 0 }')
	serve "$@"
	load=$(cut -d' ' -f1 /proc/loadavg)
	c0=$(cpu_of "$SERVE")
	"$STATIONS" push "$T/stations" "$PER" >"$T/push.out" 2>"$T/push.err" ||
	    { echo "bench-stations failed: $(cat "$T/push.err" "$T/push.out")" >&2; exit 1; }
	c1=$(cpu_of "$SERVE")
	stop_serve
	pushed=$(result records)
	us=$(awk -v a="$c0" -v b="$c1" -v r="$pushed" 'BEGIN { printf "%.1f", (b - a) * 1e6 / r }')
	st=$(awk -v c="$(result cpu_s)" -v r="$pushed" 'BEGIN { printf "%.1f", c * 1e6 / r }')
	bpc=$(sed -n 's/.*stopped; \([0-9]*\) batches stored in \([0-9]*\) commits.*/\1 \2/p' "$T/serve.out" |
	    awk '{ printf "%.1f", ($2 > 0 ? $1 / $2 : 0) }')
	echo "| $n | $name | $held | $load | $(result records_per_s) | $us | $st | ${bpc:-1 (one a batch)} |"
}
r=1 k=1
while [ "$r" -le "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
	for v in $order; do
		if [ "$v" = before ]; then bin=$BEFORE; else bin=$AFTER; fi
		say "turn $k: $v"
		turn "$k" "$v" "$bin"
		k=$((k + 1))
	done
	r=$((r + 1))
done
echo
echo "| serve (under the counter) | records | WAL frames per record | database pages per record (checkpoints) |"
echo "|---|---:|---:|---:|"
for v in before after; do
	if [ "$v" = before ]; then bin=$BEFORE; else bin=$AFTER; fi
	say "counted turn: $v"
	serve "$bin" LD_PRELOAD="$T/walcount.so" WALCOUNT_OUT="$T/walcount"
	"$STATIONS" push "$T/stations" "$PER" >"$T/push.out" 2>"$T/push.err" ||
	    { echo "bench-stations failed: $(cat "$T/push.err" "$T/push.out")" >&2; exit 1; }
	stop_serve
	pushed=$(result records)
	awk -v r="$pushed" -v v="$v" '{ printf "| %s | %d | %.2f | %.2f |\n", v, r, $2 / r, $4 / r }' "$T/walcount"
done
