# crypto-truncated.sh — a logbook cut short is refused by open and check with "truncated:
# the records are missing", exit 3, never taken for an empty logbook: cut to its header
# (the header's initialised flag), or missing its last pages (page 1's count); a file made
# before the flag gets it on its first open; a live WAL is never mistaken for truncation.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
FX=$PWD/tests/fixtures/format1
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass 
op() { "$OUTPOST" "$@" --db lb.db --passphrase-file pass; }
expect_rc 0 "init" "$OUTPOST" init --db lb.db --station-kind gate --station "East Gate" \
	--passphrase-file pass --kdf test-cheap
expect_rc 0 "check a new, empty logbook" op check
for t in 36.5 36.6 36.7; do op add temp --temp $t >/dev/null; done
expect_rc 0 "check after three records" op check
cp lb.db full.db
size=$(stat -c %s full.db)
check "the logbook has pages" [ "$size" -gt 12288 ]

truncate -s 8192 lb.db
expect_rc 3 "check of a logbook cut to its header exits 3" op check
check "and says the records are missing" grep -q "truncated: the records are missing" "$T/last.err"
check "not ok" [ ! -s "$T/last.out" ]
expect_rc 3 "list refuses it too (it is not an empty logbook)" op list
check "with the same message" grep -q "truncated: the records are missing" "$T/last.err"
expect_rc 3 "add refuses it: nothing is written into a truncated logbook" op add temp --temp 36.5
check "the file is left as it was" [ "$(stat -c %s lb.db)" -eq 8192 ]

cp full.db lb.db
truncate -s $((8192 + 4096 * 2)) lb.db
expect_rc 3 "check of a logbook missing its last pages exits 3" op check
check "and says the records are missing" grep -q "truncated: the records are missing" "$T/last.err"
check "with the count of pages it holds" grep -q "holds 2 of its" "$T/last.err"
expect_rc 3 "list refuses it too" op list
check "with the same message" grep -q "truncated: the records are missing" "$T/last.err"

cp full.db lb.db
expect_rc 0 "the whole file still checks ok" op check

# While a WAL holds the newest pages, the main file's length proves nothing.
"$SQL" lb.db pass sql "SELECT 1" wait "$T/go" >/dev/null &
wait_for 20 [ -e "$T/go.ready" ]
op add temp --temp 36.8 >/dev/null
expect_rc 0 "check passes while another connection holds a WAL with frames" op check
touch "$T/go"; wait

# A file made before the flag (the format-1 fixture) gains it when first opened.
mkdir old && cp "$FX/lb.db" "$FX/pass" old/ && chmod 600 old/pass
hdr() { od -A n -t x1 -j 12 -N 1 old/lb.db | tr -d ' '; }
check "the old file's header has no flag" [ "$(hdr)" = "00" ]
expect_rc 0 "the old file opens" "$OUTPOST" list --db old/lb.db --passphrase-file old/pass
check "and its header now says it was initialised" [ "$(hdr)" = "01" ]
# Setting the flag must not drop the locks of a connection of the same process (closing any
# descriptor of a file drops them all): a second copy, held open by lbsql while the CLI adds.
mkdir old2 && cp "$FX/lb.db" "$FX/pass" old2/ && chmod 600 old2/pass
rm -f "$T/go2" "$T/go2.ready"
"$SQL" old2/lb.db old2/pass sql "SELECT count(*) FROM records" wait "$T/go2" \
	sql "SELECT count(*) FROM records" >old2.out 2>old2.err &
wait_for 20 [ -e "$T/go2.ready" ]
"$OUTPOST" add temp --temp 36.5 --db old2/lb.db --passphrase-file old2/pass >/dev/null 2>&1
check "the WAL of the connection that set the flag outlives another process's close" \
	[ -s old2/lb.db-wal ]
touch "$T/go2"; wait
check "and that connection sees the other process's record" \
	[ "$(tr '\n' ' ' < old2.out)" = "4 5 " ]
truncate -s 8192 old/lb.db
expect_rc 3 "so cut to its header it is refused" \
	"$OUTPOST" check --db old/lb.db --passphrase-file old/pass
check "as truncated" grep -q "truncated: the records are missing" "$T/last.err"
done_testing
