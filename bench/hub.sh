#!/bin/sh
# hub.sh — the hub's read side at growing store sizes: for each N in $HUB_SIZES (default
# "100000 1000000"), bench-hub fills an encrypted store with N records from 200 stations
# over 28 days, then each outpost-hub command runs as its own process under /usr/bin/time
# (wall time, peak RSS): top --batch (one refresh), report for one day and for 28 days,
# export (rows/s). The WAL's size is sampled while they run. Prints a table to paste into
# bench/README.md.
set -eu
B=${B:-build}
SIZES=${HUB_SIZES:-"100000 1000000"}
D=$(mktemp -d "${TMPDIR:-/tmp}/outpost-hubbench-XXXXXX")
trap 'rm -rf "$D"' EXIT
echo "hub bench pass" >"$D/pass"
HUB=$B/outpost-hub

# run NAME CMD...: wall seconds and peak RSS (MB) of one process.
run() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$D/time" "$@" >"$D/out" 2>"$D/err" || {
		echo "$name failed: $(cat "$D/err")" >&2; exit 1; }
	set -- $(cat "$D/time")
	printf '| %-22s | %8.3f s | %6.1f MB |\n' "$name" "$1" "$(echo "$2" | awk '{print $1 / 1024}')"
}

for n in $SIZES; do
	S="$D/hub-$n.db"
	echo "### $n records held ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
	echo
	$B/bench/bench-hub "$S" "$D/pass" "$n" 200 | tail -n 4 | sed 's/^/    /'
	echo
	echo "| command                | wall       | peak RSS  |"
	echo "|------------------------|------------|-----------|"
	H="--store $S --passphrase-file $D/pass"
	run "top --batch (refresh)" $HUB top $H --batch
	run "report, one day" $HUB report $H --since 2026-06-10 --until 2026-06-11
	run "report, 28 days" $HUB report $H --since 2026-05-28 --until 2026-06-25
	run "report, all" $HUB report $H
	( while :; do stat -c %s "$S-wal" 2>/dev/null || echo 0; sleep 0.2; done ) >"$D/wal" &
	WP=$!
	run "export csv" $HUB export $H --format csv --out "$D/x.csv"
	kill $WP 2>/dev/null || true
	rows=$(($(wc -l <"$D/x.csv") - 1))
	secs=$(cut -d' ' -f1 "$D/time")
	echo
	echo "export: $rows rows, $(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", r / (s > 0 ? s : 1) }') rows/s; WAL during export max $(sort -n "$D/wal" | tail -n 1 | awk '{printf "%.1f", $1 / 1048576}') MB; store $(du -m "$S" | cut -f1) MB"
	rm -f "$D/x.csv"
	run "purge (every record due)" $HUB purge $H
	echo
	rm -f "$S" "$S-wal" "$S-shm"
done
