#!/bin/sh
# Runs the storage benchmark (bench/bench.c) on plain SQLite, SQLCipher and outpost's
# encrypted file, one engine after the other on the same workload, and prints one
# Markdown table side by side with ratios against plain SQLite and the targets of
# issue 13 (which replaced issue 2's). Also written to $B/bench/results.md. Not part of `make test`.
# Environment: B (build dir), BENCH_DIR (where the files go; a temp dir by default),
# BENCH_ENGINES ("sqlite sqlcipher outpost"), BENCH_RUNS (1: with more, the engines run
# in rounds — sqlite, sqlcipher, outpost, sqlite, … — and each figure is the median of the
# rounds, which evens out a busy machine), and bench.c's BENCH_* knobs.
set -e
B=${B:-build}
ENGINES=${BENCH_ENGINES:-sqlite sqlcipher outpost}
RUNS=${BENCH_RUNS:-1}
: "${BENCH_ROWS:=1000000}" "${BENCH_DURABLE:=20000}"
export BENCH_ROWS BENCH_DURABLE

dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/outpost-bench.XXXXXX")}
raw=$(mktemp "${TMPDIR:-/tmp}/outpost-bench-raw.XXXXXX")
trap 'rm -f "$raw"; [ -n "$BENCH_DIR" ] || rm -rf "$dir"' EXIT INT TERM

round=1
while [ "$round" -le "$RUNS" ]; do
	for e in $ENGINES; do
		case $e in
		sqlcipher) bin=$B/bench/bench-sqlcipher ;;
		*) bin=$B/bench/bench-plain ;;
		esac
		echo "== $e (round $round of $RUNS)" >&2
		start=$(date +%s)
		"$bin" "$e" "$dir" | tee -a "$raw" | sed 's/^RESULT /   /' >&2
		echo "   ($(( $(date +%s) - start )) s)" >&2
	done
	round=$((round + 1))
done

model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
out=$B/bench/results.md
mkdir -p "$B/bench"
{
echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, ${model:-unknown CPU}," \
    "Linux $(uname -r); $BENCH_ROWS rows, $BENCH_DURABLE durable commits," \
    "page cache ${BENCH_CACHE_KB:-2000} KiB, WAL, synchronous=FULL;" \
    "$RUNS round(s)$([ "$RUNS" -gt 1 ] && echo ', medians of the rounds')."
echo
awk -v engines="$ENGINES" '
# Every value of a figure, one per round; fig() gives their median (or the first, for text).
$1 == "RESULT" { k = ++n[$2, $3]; all[$2, $3, k] = $4 }
function fig(e, m,   c, i, j, t, a) {
	c = n[e, m]
	if (c == 0) return ""
	if (m ~ /version/ || all[e, m, 1] !~ /^[0-9.]+$/) return all[e, m, 1]
	for (i = 1; i <= c; i++) a[i] = all[e, m, i] + 0
	for (i = 2; i <= c; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
function num(x) {
	if (x == "") return ""
	return x >= 1000 ? sprintf("%.0f", x) : x >= 100 ? sprintf("%.1f", x) : sprintf("%.3f", x)
}
# Time relative to plain SQLite (> 1 is slower); for rates the inverse.
function ratio(e, m, rate,   a, b) {
	a = fig(e, m); b = fig("sqlite", m)
	if (a == "" || b == "" || a + 0 == 0 || b + 0 == 0) return ""
	return rate ? b / a : a / b
}
# met: the ratio target of issue 13 (time relative to plain SQLite; for open an absolute
# limit in ms instead), and outpost overhead (ratio - 1) at most half the SQLCipher overhead.
function row(label, m, rate, target, abs,   r1, r2, met, v) {
	r1 = ratio("sqlcipher", m, rate); r2 = ratio("outpost", m, rate)
	met = ""
	if (r2 != "" && (target != "" || abs != "" || (r1 != "" && m != "file_bytes_per_row"))) {
		met = "yes"
		v = fig("outpost", m)
		if (target != "" && r2 > target + 0) met = "no"
		if (abs != "" && v > abs + 0) met = "no"
		if (r1 != "" && m != "file_bytes_per_row" && r2 - 1 > (r1 - 1) / 2)
			met = met == "yes" ? "no (overhead over half of SQLCipher)" : met " (and overhead over half of SQLCipher)"
	}
	printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, num(fig("sqlite", m)),
	    num(fig("sqlcipher", m)), num(fig("outpost", m)),
	    r1 == "" ? "" : sprintf("%.2f×", r1), r2 == "" ? "" : sprintf("%.2f×", r2),
	    target != "" ? "≤ " target "×" : abs != "" ? "≤ " abs " ms" : "", met
}
END {
	print "| figure | SQLite | SQLCipher | outpost | SQLCipher / SQLite | outpost / SQLite | target | met |"
	print "|---|---:|---:|---:|---:|---:|---|---|"
	row("durable insert, commit per row, median (ms)", "durable_insert_ms_median", 0, "1.35")
	row("durable insert, commit per row, p99 (ms)", "durable_insert_ms_p99", 0, "1.35")
	row("bulk load (rows/s; ratio as time)", "bulk_rows_per_s", 1, "1.8")
	row("point lookup by ID number, median (µs)", "lookup_id_us_median", 0, "1.45")
	row("point lookup by ID number, p99 (µs)", "lookup_id_us_p99", 0, "1.45")
	row("plate prefix search, median (µs)", "prefix_plate_us_median", 0, "1.8")
	row("plate prefix search, p99 (µs)", "prefix_plate_us_p99", 0, "1.8")
	row("open + unlock, KDF excluded, median (ms)", "open_ms_median", 0, "", "0.4")
	row("file size (bytes per row)", "file_bytes_per_row", 0, "")
	print ""
	printf "Record payload %s bytes on average; plate prefix searches returned %s rows on average.\n",
	    fig("sqlite", "record_bytes") != "" ? fig("sqlite", "record_bytes") : fig("outpost", "record_bytes"),
	    fig("sqlite", "prefix_rows_avg") != "" ? fig("sqlite", "prefix_rows_avg") : fig("outpost", "prefix_rows_avg")
	printf "SQLite %s (system) for sqlite and outpost.",
	    fig("sqlite", "sqlite_version") != "" ? fig("sqlite", "sqlite_version") : fig("outpost", "sqlite_version")
	if (fig("sqlcipher", "cipher_version") != "")
		printf " SQLCipher %s on SQLite %s.", fig("sqlcipher", "cipher_version"),
		    fig("sqlcipher", "sqlite_version")
	if (fig("outpost", "open_kdf_excluded_ms") != "")
		printf " outpost open: the test-cheap Argon2id (%s ms) subtracted.", fig("outpost", "open_kdf_excluded_ms")
	print ""
	if (fig("outpost", "page_open_us") == "")
		exit
	print ""
	print "The cipher alone, one 4 KiB page (µs, median of 21 batches of 2000, interleaved):"
	print ""
	print "| implementation | seal | open | against libsodium XChaCha20-Poly1305 | target |"
	print "|---|---:|---:|---:|---|"
	ss = fig("outpost", "sodium_xchacha_seal_us"); so = fig("outpost", "sodium_xchacha_open_us")
	printf "| outpost page_seal/page_open (OpenSSL %s EVP ChaCha20-Poly1305, HChaCha20 subkey) | %s | %s | %s | ≤ 0.6× each, %s |\n",
	    fig("outpost", "openssl_version"), fig("outpost", "page_seal_us"), fig("outpost", "page_open_us"),
	    (ss + 0 > 0 ? sprintf("%.2f× seal, %.2f× open", fig("outpost", "page_seal_us") / ss, fig("outpost", "page_open_us") / so) : ""),
	    ((ss + 0 > 0 && fig("outpost", "page_seal_us") <= 0.6 * ss && fig("outpost", "page_open_us") <= 0.6 * so) ? "met" : "not met")
	printf "| page_open, a new nonce prefix every page (a subkey each time) | | %s | %s | |\n",
	    fig("outpost", "page_open_newprefix_us"), (so + 0 > 0 ? sprintf("%.2f×", fig("outpost", "page_open_newprefix_us") / so) : "")
	printf "| libsodium %s crypto_aead_xchacha20poly1305_ietf (the implementation before) | %s | %s | 1× | |\n",
	    fig("outpost", "sodium_version"), ss, so
	printf "| OpenSSL EVP AES-256-GCM | %s | %s | %s | |\n", fig("outpost", "evp_aes256gcm_seal_us"),
	    fig("outpost", "evp_aes256gcm_open_us"),
	    (ss + 0 > 0 ? sprintf("%.2f× seal, %.2f× open", fig("outpost", "evp_aes256gcm_seal_us") / ss, fig("outpost", "evp_aes256gcm_open_us") / so) : "")
	if (fig("outpost", "aes256gcm_seal_us") != "")
		printf "| libsodium AES-256-GCM | %s | | %s | |\n", fig("outpost", "aes256gcm_seal_us"),
		    (ss + 0 > 0 ? sprintf("%.2f× seal", fig("outpost", "aes256gcm_seal_us") / ss) : "")
	print ""
	print "Pages the outpost engine opened and sealed per operation, and what"
	print "cipher work alone would make of the ratio: the mean time of plain SQLite plus those"
	print "pages times page_open/page_seal above, over the mean time of plain SQLite; beside it,"
	print "the ratio of the mean times measured."
	print ""
	print "| operation | pages opened | pages sealed | ratio from the cipher alone (estimate) | ratio of the means, measured |"
	print "|---|---:|---:|---:|---:|"
	floor("durable insert", "durable", "durable_insert_ms_mean", 1000)
	floor("bulk load, per row", "bulk", "", 0)
	floor("point lookup by ID number", "lookup", "lookup_id_us_mean", 1)
	floor("plate prefix search", "prefix", "prefix_plate_us_mean", 1)
}
# One row: the pages per operation of the phase and the mean times of metric m (scaled to µs by
# unit; for the bulk load, the time per row from the rate).
function floor(label, phase, m, unit,   o, w, a, b) {
	o = fig("outpost", phase "_pages_opened_per_op"); w = fig("outpost", phase "_pages_sealed_per_op")
	if (m == "") {
		a = fig("sqlite", "bulk_rows_per_s"); b = fig("outpost", "bulk_rows_per_s")
		a = a + 0 > 0 ? 1e6 / a : 0; b = b + 0 > 0 ? 1e6 / b : 0
	} else {
		a = fig("sqlite", m) * unit; b = fig("outpost", m) * unit
	}
	if (o == "" || a <= 0)
		return
	printf "| %s | %s | %s | %.2f× | %s |\n", label, o, w,
	    (a + o * fig("outpost", "page_open_us") + w * fig("outpost", "page_seal_us")) / a,
	    (b > 0 ? sprintf("%.2f×", b / a) : "")
}' "$raw"
} | tee "$out"
