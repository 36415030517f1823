# crypto-plaintext.sh — no plaintext reaches disk: marker strings (ASCII and Chinese) and
# SQLite's own "SQLite format 3" appear in neither the logbook nor its -wal or -journal,
# while a transaction is open and after, in WAL and in rollback-journal mode.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass 
ASCII=PLAINTEXT-MARKER-7f3a
CJK=身份证号码标记王秀英
clean() {
	# clean DESCRIPTION FILES...: no marker and no SQLite magic in any of the files.
	d=$1; shift
	found=""
	for f in "$@"; do
		[ -e "$f" ] || continue
		for m in "$ASCII" "$CJK" "SQLite format 3"; do
			grep -aqF "$m" "$f" && found="$found $f:$m"
		done
	done
	[ -z "$found" ] || echo "# found:$found"
	check "$d" [ -z "$found" ]
}
for mode in wal delete; do
	rm -f lb.db* "$T"/go1* "$T"/go2*
	"$OUTPOST" init --db lb.db --station-kind gate --station S --passphrase-file pass --kdf test-cheap >/dev/null
	"$SQL" -j $mode lb.db pass sql "CREATE TABLE v(id INTEGER PRIMARY KEY, name TEXT, idno TEXT)" \
		sql "CREATE INDEX v_name ON v(name)" >/dev/null
	# Committed rows, with the connection held open (the WAL is not checkpointed away).
	"$SQL" -j $mode lb.db pass sql "INSERT INTO v(name, idno) SELECT '$CJK' || x, '$ASCII' || x FROM
		(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 3000) SELECT x FROM c)" \
		wait "$T/go1" >/dev/null &
	p=$!
	wait_for 30 test -e "$T/go1.ready"
	check "$mode: committed rows are in the file set" [ -e lb.db ]
	[ $mode = wal ] && check "$mode: the WAL holds the commit" [ -s lb.db-wal ]
	clean "$mode: no plaintext after commit, connection open" lb.db lb.db-wal lb.db-journal
	touch "$T/go1"; wait $p
	# An open write transaction that changes committed pages (so the rollback journal holds
	# their old images) and spills a small cache to disk.
	"$SQL" -j $mode -c 8 lb.db pass sql "BEGIN" sql "UPDATE v SET name = name || '$CJK', idno = idno || '$ASCII'" \
		sql "INSERT INTO v(name, idno) SELECT name, idno FROM v" wait "$T/go2" sql "COMMIT" >/dev/null &
	p=$!
	wait_for 60 test -e "$T/go2.ready"
	[ $mode = delete ] && check "$mode: the rollback journal exists mid-transaction" [ -s lb.db-journal ]
	[ $mode = wal ] && check "$mode: the WAL has spilled frames mid-transaction" [ -s lb.db-wal ]
	clean "$mode: no plaintext while a transaction is open" lb.db lb.db-wal lb.db-journal
	touch "$T/go2"; wait $p
	check "$mode: the rows are all there" [ "$("$SQL" lb.db pass sql "SELECT count(*) FROM v WHERE idno LIKE '$ASCII%'")" = 6000 ]
	clean "$mode: no plaintext after the transaction" lb.db lb.db-wal lb.db-journal
	expect_rc 0 "$mode: check ok" "$OUTPOST" check --db lb.db --passphrase-file pass
done
# A temp file would be plaintext: SQLite is never allowed one.
expect_rc 5 "a temp table on disk is refused, not written clear" \
	"$SQL" lb.db pass sql "PRAGMA temp_store=FILE" sql "CREATE TEMP TABLE tt(x)" \
	sql "PRAGMA temp.cache_size=4" sql "INSERT INTO tt SELECT name FROM v"
done_testing
