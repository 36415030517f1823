# crypto-tamper.sh — single flipped bytes at 240 random offsets across the header and the
# pages of copies of a logbook: every flip is detected (the logbook is refused as damaged or
# the key does not open it, or `check` reports the damage), and no run returns altered rows.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass 
"$OUTPOST" init --db lb.db --station-kind traffic --station S --passphrase-file pass --kdf test-cheap >/dev/null
"$SQL" lb.db pass sql "CREATE TABLE v(id INTEGER PRIMARY KEY, name TEXT, plate TEXT)" \
	sql "CREATE INDEX v_plate ON v(plate)" \
	sql "INSERT INTO v(name, plate) SELECT 'name' || x, '粤B' || x FROM
	     (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 400) SELECT x FROM c)" >/dev/null
Q="SELECT group_concat(id || name || plate) FROM (SELECT * FROM v ORDER BY id)"
"$SQL" lb.db pass sql "$Q" > want
size=$(stat -c %s lb.db)
check "the logbook has a header and several pages" [ "$size" -gt 20000 ]
altered=0; undetected=0; header=0; pages=0
i=0
while [ $i -lt 240 ]; do
	i=$((i + 1))
	# A third of the flips in the 8 KiB header, the rest across the pages.
	if [ $((i % 3)) -eq 0 ]; then
		off=$(od -An -tu4 -N4 /dev/urandom | tr -d ' '); off=$((off % 8192)); header=$((header + 1))
	else
		off=$(od -An -tu4 -N4 /dev/urandom | tr -d ' '); off=$((8192 + off % (size - 8192))); pages=$((pages + 1))
	fi
	bit=$(( $(od -An -tu1 -N1 /dev/urandom | tr -d ' ') % 8 ))
	cp lb.db c.db
	byte=$(od -An -tu1 -j "$off" -N1 c.db | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ (1 << bit))))" | dd of=c.db bs=1 seek="$off" conv=notrunc 2>/dev/null
	cmp -s lb.db c.db && { echo "# flip at $off did not change the copy"; altered=$((altered + 1)); continue; }
	"$SQL" c.db pass sql "$Q" >got 2>err
	rc=$?
	if [ $rc -eq 0 ] && ! cmp -s got want; then
		echo "# flip at offset $off returned altered rows"
		altered=$((altered + 1))
	fi
	if [ $rc -eq 0 ]; then
		"$OUTPOST" check --db c.db --passphrase-file pass >/dev/null 2>err
		crc=$?
		if [ $crc -ne 3 ] && [ $crc -ne 2 ]; then
			echo "# flip at offset $off went undetected (check exit $crc)"
			undetected=$((undetected + 1))
		fi
	elif [ $rc -ne 2 ] && [ $rc -ne 3 ]; then
		echo "# flip at offset $off: exit $rc: $(cat err)"
		undetected=$((undetected + 1))
	fi
done
echo "# $header flips in the header, $pages in pages"
check "no flip returned altered rows (240 flips)" [ $altered -eq 0 ]
check "every flip was detected as damaged or wrong key" [ $undetected -eq 0 ]
check "the header was hit (60 flips or more)" test "$header" -ge 60
check "the pages were hit (120 flips or more)" test "$pages" -ge 120
expect_rc 0 "the original is untouched and checks ok" "$OUTPOST" check --db lb.db --passphrase-file pass
done_testing
