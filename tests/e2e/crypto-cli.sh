# crypto-cli.sh — the logbook file's commands end to end: init, wrong passphrase (file left
# byte-identical), recovery key, passwd add/list/remove, check, rekey, backup, and the
# clear errors for files that are not logbooks.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
cd "$T"
echo "correct horse battery staple" > pass
echo "wrong horse battery staple" > wrong
echo "second passphrase here" > pass2
chmod 600 pass wrong pass2
expect_rc 0 "init creates a logbook" \
	"$OUTPOST" init --db lb.db --station-kind gate --station "East Gate" --passphrase-file pass --kdf test-cheap
cp "$T/last.out" init.out
REC=$(grep -Eo '[0-9A-Z]{5}(-[0-9A-Z]{5}){7}' init.out)
check "init shows the recovery key once" [ -n "$REC" ]
check "init names the test-cheap profile" grep -q "test-cheap" init.out
expect_rc 1 "init refuses an existing file" \
	"$OUTPOST" init --db lb.db --station-kind gate --station X --passphrase-file pass --kdf test-cheap
check "and says why" grep -q "already exists" "$T/last.err"
expect_rc 1 "init refuses an unknown station kind" \
	"$OUTPOST" init --db other.db --station-kind market --station X --passphrase-file pass --kdf test-cheap
check "no file is left by a refused init" [ ! -e other.db ]

"$SQL" lb.db pass sql "CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT)" \
	sql "INSERT INTO t(y) VALUES ('alpha'),('beta'),('张伟')" >/dev/null
rows() { "$SQL" "$@" sql "SELECT group_concat(y, ',') FROM t"; }
check "rows read back" [ "$(rows lb.db pass)" = "alpha,beta,张伟" ]
expect_rc 0 "check says ok" "$OUTPOST" check --db lb.db --passphrase-file pass
check "check prints ok" [ "$(cat "$T/last.out")" = "ok" ]

cp lb.db before.db
expect_rc 2 "wrong passphrase exits 2" "$OUTPOST" check --db lb.db --passphrase-file wrong
check "wrong passphrase says so" grep -q "wrong passphrase" "$T/last.err"
check "wrong passphrase leaves the file byte-identical" cmp -s lb.db before.db
check "wrong passphrase leaves no WAL" test ! -e lb.db-wal
check "wrong passphrase leaves no journal" test ! -e lb.db-journal

echo "$REC" > rec
echo "$REC" | tr 'A-Z' 'a-z' | tr -d '-' > rec-lower
chmod 600 rec rec-lower
expect_rc 0 "the recovery key opens (--recovery-key)" "$OUTPOST" check --db lb.db --passphrase-file rec --recovery-key
expect_rc 0 "the recovery key is recognised without the flag, any case, no dashes" \
	"$OUTPOST" check --db lb.db --passphrase-file rec-lower
echo "$REC" | sed 's/^\(.......\)./\1Z/' > rec-typo
[ "$(cut -c8 rec)" = Z ] && echo "$REC" | sed 's/^\(.......\)./\1Y/' > rec-typo
chmod 600 rec-typo
expect_rc 2 "a mistyped recovery key is refused" "$OUTPOST" check --db lb.db --passphrase-file rec-typo --recovery-key
check "and the group with the typo is named" grep -q "group 2" "$T/last.err"

expect_rc 0 "passwd add" "$OUTPOST" passwd --db lb.db --passphrase-file pass add --new-passphrase-file pass2 --kdf test-cheap
expect_rc 0 "the new passphrase opens" "$OUTPOST" check --db lb.db --passphrase-file pass2
expect_rc 0 "passwd list" "$OUTPOST" passwd --db lb.db --passphrase-file pass2 list
check "list shows two passphrases" [ "$(grep -c passphrase "$T/last.out")" -eq 2 ]
check "list shows the recovery key" grep -q recovery "$T/last.out"
check "data unchanged after passwd add" [ "$(rows lb.db pass2)" = "alpha,beta,张伟" ]
expect_rc 4 "adding the same passphrase twice is refused" \
	"$OUTPOST" passwd --db lb.db --passphrase-file pass add --new-passphrase-file pass2 --kdf test-cheap
expect_rc 0 "passwd remove" "$OUTPOST" passwd --db lb.db --passphrase-file pass2 remove --old-passphrase-file pass
expect_rc 2 "the removed passphrase no longer opens" "$OUTPOST" check --db lb.db --passphrase-file pass
expect_rc 4 "the last passphrase is never removed" \
	"$OUTPOST" passwd --db lb.db --passphrase-file pass2 remove --old-passphrase-file pass2
expect_rc 0 "still opens after the refused remove" "$OUTPOST" check --db lb.db --passphrase-file pass2
"$OUTPOST" passwd --db lb.db --passphrase-file pass2 add --new-passphrase-file pass --kdf test-cheap >/dev/null

id_before=$(od -An -tx1 -j32 -N16 lb.db)
expect_rc 0 "rekey" "$OUTPOST" rekey --db lb.db --passphrase-file pass
check "rekey changes the file id" [ "$(od -An -tx1 -j32 -N16 lb.db)" != "$id_before" ]
check "rekey keeps every row" [ "$(rows lb.db pass)" = "alpha,beta,张伟" ]
expect_rc 0 "both passphrases still open after rekey" "$OUTPOST" check --db lb.db --passphrase-file pass2
expect_rc 0 "the recovery key still opens after rekey" "$OUTPOST" check --db lb.db --passphrase-file rec --recovery-key
check "rekey leaves no temporary file" [ ! -e lb.db.rekey ]

expect_rc 0 "backup" "$OUTPOST" backup --db lb.db --passphrase-file pass backup.db
check "the backup keeps every row" [ "$(rows backup.db pass)" = "alpha,beta,张伟" ]
expect_rc 0 "the backup opens with the other passphrase" "$OUTPOST" check --db backup.db --passphrase-file pass2
expect_rc 0 "and with the recovery key" "$OUTPOST" check --db backup.db --passphrase-file rec --recovery-key
expect_rc 1 "backup never overwrites" "$OUTPOST" backup --db lb.db --passphrase-file pass backup.db
# A backup while another process holds a write transaction open.
"$SQL" lb.db pass sql "BEGIN IMMEDIATE" sql "INSERT INTO t(y) VALUES ('uncommitted')" wait "$T/go" >/dev/null &
holder=$!
wait_for 20 test -e "$T/go.ready"
expect_rc 0 "backup while the logbook is in use" "$OUTPOST" backup --db lb.db --passphrase-file pass live.db
touch "$T/go"; wait $holder
check "the live backup is consistent (no uncommitted row)" [ "$(rows live.db pass)" = "alpha,beta,张伟" ]

# Files that are not logbooks.
sqlite3 plain.db "CREATE TABLE x(a); INSERT INTO x VALUES (1);"
expect_rc 3 "a plain SQLite file is refused" "$OUTPOST" check --db plain.db --passphrase-file pass
check "and named as plain SQLite" grep -q "plain (unencrypted) SQLite" "$T/last.err"
: > empty.db
expect_rc 3 "a zero-length file is refused" "$OUTPOST" check --db empty.db --passphrase-file pass
check "and called empty" grep -q "empty" "$T/last.err"
head -c 5000 lb.db > short.db
expect_rc 3 "a file shorter than its header is refused" "$OUTPOST" check --db short.db --passphrase-file pass
check "and called truncated" grep -q "truncated" "$T/last.err"
head -c 10000 lb.db > cut.db
expect_rc 3 "a file cut in the middle of a page is refused" "$OUTPOST" check --db cut.db --passphrase-file pass
check "and the page is named" grep -q "page 1" "$T/last.err"
head -c 20000 /dev/urandom > random.db
expect_rc 3 "a foreign file is refused" "$OUTPOST" check --db random.db --passphrase-file pass
check "and called not a logbook" grep -q "not an outpost logbook" "$T/last.err"
"$OUTPOST" init --db other.db --station-kind gate --station Y --passphrase-file pass --kdf test-cheap >/dev/null
cp lb.db swapped.db
dd if=other.db of=swapped.db bs=8192 count=1 conv=notrunc 2>/dev/null
expect_rc 3 "a header from another file (same passphrase) is refused as damaged" \
	"$OUTPOST" check --db swapped.db --passphrase-file pass
check "and the first page is named" grep -q "damaged: page 1" "$T/last.err"
expect_rc 5 "a missing file says so" "$OUTPOST" check --db nothere.db --passphrase-file pass
check "and says how to make one" grep -q "outpost init" "$T/last.err"
done_testing
