#!/bin/sh
# Benchmark of issue 4: the full-screen app driven in tmux over a big encrypted logbook (the
# one bench/records.sh loads: a gate, 20 000 records a day), the clock set just after its
# last record so that "today" is a full day. OUTPOST_TUI_TRACE makes the app write, for each
# key, the time from reading it to the end of the redraw it caused, plus the time to the
# first screen and the peak RSS. Prints a Markdown table, also written to $B/bench/tui.md.
# Environment: B, BENCH_DIR (BENCH_REUSE=1 with a records.db there from bench/records.sh
# skips loading), BENCH_RECORDS (1000000), BENCH_PER_DAY (20000), BENCH_OUTPOST (the program
# to drive, $B/outpost; another build's, to compare two on one logbook), BENCH_TUI_SMAPS=FILE
# (a copy of the app's /proc/PID/smaps after the search, before it quits: where the RSS is).
set -e
B=${B:-build}
N=${BENCH_RECORDS:-1000000}
PER_DAY=${BENCH_PER_DAY:-20000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/outpost-bench-tui.XXXXXX")}
sock="$dir/tmux.sock"
trace="$dir/tui.trace"
bin=${BENCH_OUTPOST:-$PWD/$B/outpost}
tm() { tmux -S "$sock" "$@"; }
cleanup() {
	tmux -S "$sock" kill-server 2>/dev/null || true
	[ -n "$BENCH_DIR" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

if [ -z "$BENCH_REUSE" ] || [ ! -f "$dir/records.db" ]; then
	echo "== loading $N records (bench-records)" >&2
	BENCH_RECORDS=$N BENCH_PER_DAY=$PER_DAY BENCH_TYPED=10 BENCH_ADDS=1 \
	    "$B/bench/bench-records" "$dir" "$PWD/$B/outpost" >/dev/null
fi
# bench-records starts at 2026-03-01 00:00 UTC and spaces records evenly over each day
now=$(( (1772323200 + (N - 1) * 86400 / PER_DAY + 60) * 1000 ))

on_screen() { tm capture-pane -p -t tui | grep -qF -- "$1"; }
wait_screen() {
	i=0
	while ! on_screen "$1"; do
		i=$((i + 1))
		if [ $i -gt 1200 ]; then
			echo "bench/tui.sh: the screen never showed: $1" >&2
			tm capture-pane -p -t tui >&2
			exit 1
		fi
		sleep 0.05
	done
}
mark() { wc -l <"$trace" | tr -d ' '; }
key() { tm send-keys -t tui "$@"; }

: >"$trace"
tm -f /dev/null new-session -d -s keep -x 100 -y 30 "sleep 3600"
tm new-session -d -s tui -x 100 -y 30 "env TERM=screen LC_ALL=C.UTF-8 TZ=UTC \
    OUTPOST_NOW=$now OUTPOST_TUI_TRACE='$trace' OUTPOSTLOCALEDIR='$PWD/$B/locale' \
    '$bin' --db '$dir/records.db'; sleep 3600"
wait_screen "The logbook is locked."
tm send-keys -t tui -l "bench passphrase"
u0=$(mark)
key Enter
wait_screen "Sign in to start"
u1=$(mark)
key Enter
wait_screen "Today, newest first:"
u2=$(mark)

# temperature checks: 3 digits and Enter, which stores the record and reloads today's log
m0=$(mark)
for i in $(seq 1 30); do
	key 3; key 6; key 5; key Enter
	wait_screen "Saved #"
done
m1=$(mark)
# a visitor's ID number typed into the form: each key checks it (and the watchlist)
key F7 F7
for i in $(seq 1 5); do
	for c in 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X; do key "$c"; done
	key C-u
done
key Escape
m2=$(mark)
# search as you type over every record: a name's first character, then an ID prefix
key F2
wait_screen "the start of it is enough"
for i in $(seq 1 10); do
	key "王"; key BSpace
	for c in 1 1 0 1 0 5; do key "$c"; done
	key C-u
done
key Escape
m3=$(mark)
if [ -n "$BENCH_TUI_SMAPS" ]; then
	wait_screen "Today, newest first:"
	shpid=$(tm display -p -t tui '#{pane_pid}')
	cp "/proc/$(ps -o pid= --ppid "$shpid" | head -n 1 | tr -d ' ')/smaps" "$BENCH_TUI_SMAPS"
fi
key F10
i=0
while ! grep -q '^rss_max_kb' "$trace"; do
	i=$((i + 1)); [ $i -lt 600 ] || { echo "bench/tui.sh: no exit" >&2; exit 1; }
	sleep 0.05
done

# stats FROM TO [COLUMN]: median, p99 and worst of the key lines FROM < line <= TO of the
# trace (column 2 the wall time, 3 the app's CPU time)
stats() {
	awk -v from="$1" -v to="$2" -v c="${3:-2}" \
	    '$1 == "key_ms" { n++; if (n > from && n <= to) print $c }' \
	    "$trace" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "| | |"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]
		printf "%.2f | %.2f | %.2f | %d", m, p, v[NR], NR }'
}
# the trace's lines before m0 hold startup and the unlock/sign-in keys; count key lines only
k0=$(head -n "$m0" "$trace" | grep -c '^key_ms'); k1=$(head -n "$m1" "$trace" | grep -c '^key_ms')
k2=$(head -n "$m2" "$trace" | grep -c '^key_ms'); k3=$(head -n "$m3" "$trace" | grep -c '^key_ms')
startup=$(awk '$1 == "startup_ms" { print $2 }' "$trace")
# the Enter that unlocks (the file opened, the sign-in screen's reads), and the sign-in's
slowest() { awk -v from="$1" -v to="$2" 'NR > from && NR <= to && $1 == "key_ms" && $2 > m { m = $2 }
	END { printf "%.1f", m }' "$trace"; }
unlock=$(slowest "$u0" "$u1"); signin=$(slowest "$u1" "$u2")
rss=$(awk '$1 == "rss_max_kb" { print $2 }' "$trace")
size=$(stat -c %s "$dir/records.db")
model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
mkdir -p "$B/bench"
{
echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, ${model:-unknown CPU}; a gate"
echo "logbook of $N records ($PER_DAY a day, $((size / 1048576)) MiB), the clock on its last day."
echo
echo "| key to screen update (ms) | median | p99 | worst | keys |"
echo "|---|---:|---:|---:|---:|"
echo "| temperature check: digits, and Enter storing it and reloading today's log | $(stats "$k0" "$k1") |"
echo "| typing a visitor's ID number (checked, watchlist looked up, per key) | $(stats "$k1" "$k2") |"
echo "| search as you type over the whole logbook (per key) | $(stats "$k2" "$k3") |"
echo "| all of the above | $(stats "$k0" "$k3") |"
echo "| search as you type, the app's CPU time per key | $(stats "$k2" "$k3" 3) |"
echo "| all of the above, the app's CPU time per key | $(stats "$k0" "$k3" 3) |"
echo
echo "| figure | value | target | met |"
echo "|---|---:|---|---|"
p99=$(stats "$k0" "$k3" | cut -d'|' -f2 | tr -d ' ')
med=$(stats "$k0" "$k3" | cut -d'|' -f1 | tr -d ' ')
echo "| key to screen, median (ms) | $med | < 16 | $(awk -v v="$med" 'BEGIN { print (v < 16) ? "yes" : "no" }') |"
echo "| key to screen, p99 (ms) | $p99 | < 16 | $(awk -v v="$p99" 'BEGIN { print (v < 16) ? "yes" : "no" }') |"
echo "| start to the unlock prompt (ms) | $startup |  |  |"
echo "| Enter on the unlock screen to the sign-in screen (ms; test-cheap KDF) | $unlock |  |  |"
echo "| Enter on the sign-in screen to today's log (ms) | $signin |  |  |"
echo "| peak RSS (MiB) | $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }') | < 16 | $(awk -v k="$rss" 'BEGIN { print (k < 16384) ? "yes" : "no" }') |"
} | tee "$B/bench/tui.md"
