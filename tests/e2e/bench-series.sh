#!/bin/sh
# bench-series.sh — keeps bench/series.sh (issue 12's series, run by `make bench-series`)
# from rotting: a tiny series on SQLite (2 000 then 4 000 records, 5 stations × 20) must
# run end to end, grow the one store (bench-hub going on from the size before), count every
# record the stations pushed, export every record held, and print both rows and the
# extrapolated one; and bench-hub alone makes a new store (as bench/hub.sh and pg-read.sh
# use it) and grows it. Figures are not checked: this is no benchmark.
. tests/e2e/lib.sh
echo "1..10"
TMPDIR=$T SERIES_SIZES="2000 4000" SERIES_STATIONS=5 SERIES_RECORDS=20 \
    SERIES_FILL_STATIONS=7 sh bench/series.sh sqlite >"$T/out" 2>"$T/err"
rc=$?
check "series.sh sqlite exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -n 20
# held after each size: the fill up to the size, then 5 × 20 pushed through serve
check "first row: 2 000 filled + 100 pushed held" grep -q '^| 2100 | ' "$T/out"
check "second row: the same store grown to 4 000, + 100 pushed" grep -q '^| 4100 | ' "$T/out"
check "the stations' rate is a number of records/s" grep -Eq '^\| 2100 \| [0-9.]+ \| [0-9]+ rec/s \| [1-9][0-9]* rec/s' "$T/out"
check "export wrote one row per record held (no mismatch reported)" \
    sh -c '! grep -q "export wrote" "$1"' sh "$T/err"
check "the extrapolated row is printed and said to be one" grep -q 'extrapolated\*\*' "$T/out"
check "nothing left under TMPDIR but what the test made" \
    sh -c '[ -z "$(ls "$1" | grep -v -e "^out$" -e "^err$" -e "^home$")" ]' sh "$T"

# bench-hub on a path with no store makes one, then grows it, never shrinks it
echo "bench pass" >"$T/pass"
chmod 600 "$T/pass"
held() { "$HUB" stations --store "$T/b.db" --passphrase-file "$T/pass" --format csv |
    awk -F, 'NR > 1 { s += $4 } END { print s + 0 }'; }
"$B/bench/bench-hub" "$T/b.db" "$T/pass" 1500 4 >/dev/null 2>"$T/b.err"
check "bench-hub makes a new store of 1 500 records" [ "$(held)" = 1500 ]
"$B/bench/bench-hub" "$T/b.db" "$T/pass" 2600 4 >/dev/null 2>>"$T/b.err"
check "bench-hub grows it to 2 600 (its stations found again, seqs continued)" [ "$(held)" = 2600 ]
"$B/bench/bench-hub" "$T/b.db" "$T/pass" 1000 4 >"$T/b.out" 2>>"$T/b.err"
check "asked for fewer than it holds, it adds nothing" [ "$(held)" = 2600 ]
