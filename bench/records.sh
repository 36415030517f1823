#!/bin/sh
# Runs the records benchmark of issue 3 (bench/records.c) on a real encrypted logbook and
# prints a Markdown table of its figures against the targets; also written to
# $B/bench/records.md. Environment: B, BENCH_DIR, and records.c's BENCH_* knobs.
set -e
B=${B:-build}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/outpost-bench-records.XXXXXX")}
raw=$(mktemp "${TMPDIR:-/tmp}/outpost-bench-records-raw.XXXXXX")
trap 'rm -f "$raw"; [ -n "$BENCH_DIR" ] || rm -rf "$dir"' EXIT INT TERM
echo "== records" >&2
start=$(date +%s)
"$B/bench/bench-records" "$dir" "$PWD/$B/outpost" > "$raw"
sed 's/^RESULT records /   /' "$raw" >&2
echo "   ($(( $(date +%s) - start )) s)" >&2
model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
mkdir -p "$B/bench"
{
echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, ${model:-unknown CPU}."
echo
awk '
$1 == "RESULT" { v[$3] = $4 }
function row(label, m, target, below,   met) {
	met = ""
	if (target != "" && (m in v)) met = (v[m] + 0 < target + 0) ? "yes" : "no"
	printf "| %s | %s | %s | %s |\n", label, v[m], target == "" ? "" : "< " target, met
}
END {
	printf "%s mixed gate records (temperature checks, visitors, exits, resident passages), %s a day, in an encrypted logbook.\n\n", v["loaded"], v["report_day_records"]
	print "| figure | value | target | met |"
	print "|---|---:|---|---|"
	row("search as you type, one prefix query per keystroke, median (ms)", "search_ms_median", "")
	row("search as you type, p99 (ms)", "search_ms_p99", "5")
	row("search as you type, worst (ms)", "search_ms_max", "")
	row("report of one day, median (ms)", "report_day_ms_median", "100")
	row("add end to end, process start to durable commit, median (ms; test-cheap KDF)", "add_e2e_ms_median", "")
	row("file size per record (bytes)", "file_bytes_per_record", "")
	row("bulk load through the storage API (records/s)", "load_records_per_s", "")
	printf "\n%s keystrokes typed.\n", v["search_keystrokes"]
}' "$raw"
} | tee "$B/bench/records.md"
