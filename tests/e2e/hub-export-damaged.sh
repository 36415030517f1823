# hub-export-damaged.sh — an SQLite hub store whose later pages fail authentication: the
# export (its store read on a second thread, hub/export-ahead.c) stops at the damaged page
# with exit status 3 and a message naming it; to standard output the rows before it are
# those of the whole store's export, in order; to --out FILE it leaves no FILE and no
# scratch file, for csv, jsonl and xlsx.
. tests/e2e/lib.sh
BENCH_HUB=$PWD/$B/bench/bench-hub
cd "$T"
printf 'hub pass\n' >pass
chmod 600 pass
expect_rc 0 "bench-hub fills a store of 20000 records" "$BENCH_HUB" h.db pass 20000 20
for fmt in csv jsonl; do
	expect_rc 0 "the whole $fmt export" "$HUB" export --store h.db --passphrase-file pass \
	    --format $fmt --out "whole.$fmt"
done
check "the whole csv export has every record" [ "$(wc -l <whole.csv)" -eq 20001 ]
# the last fifth of the file overwritten: pages that fail authentication
python3 -c '
import os
n = os.path.getsize("h.db")
with open("h.db", "r+b") as f:
    f.seek(n * 8 // 10)
    f.write(os.urandom(n - n * 8 // 10))
'
for fmt in csv jsonl; do
	expect_rc 3 "a $fmt export to standard output stops at the damaged page" "$HUB" export \
	    --store h.db --passphrase-file pass --format $fmt
	cp last.out "part.$fmt"
	cp last.err "err.$fmt"
	check "its message names the page" grep -q "damaged: page [0-9]* failed authentication" "err.$fmt"
	n=$(wc -l <"part.$fmt")
	check "rows came out before the damaged page ($n lines of $fmt)" [ "$n" -gt 1 ]
	check "they are the whole export's first rows, in order (a prefix of its bytes)" \
	    sh -c "head -c \$(wc -c <'$T/part.$fmt') whole.$fmt | cmp -s - '$T/part.$fmt'"
done
for fmt in csv jsonl xlsx; do
	expect_rc 3 "a $fmt export to a file stops at the damaged page" "$HUB" export \
	    --store h.db --passphrase-file pass --format $fmt --out "x.$fmt"
	check "no x.$fmt" [ ! -e "x.$fmt" ]
	check "no scratch file beside it" [ -z "$(ls -A | grep -v '^\(h\.db.*\|pass\|whole\..*\|part\..*\|err\..*\|last\..*\|home\)$')" ]
done
done_testing
