# crypto-crash.sh — a child commits rows one by one and is killed with SIGKILL at a random
# moment, 60 rounds alternating WAL and rollback-journal mode (half of the WAL rounds
# checkpoint every 10 frames, so kills land in checkpoints, which copy sealed frames into
# the main file): afterwards the logbook opens, `check` says ok, and every row whose commit
# had returned is there.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass 
"$OUTPOST" init --db lb.db --station-kind gate --station S --passphrase-file pass --kdf test-cheap >/dev/null
lost=0; bad=0; total=0
round=0
while [ $round -lt 60 ]; do
	round=$((round + 1))
	mode=wal; [ $((round % 2)) -eq 0 ] && mode=delete
	ckpt=1000; [ $((round % 4)) -eq 1 ] && ckpt=10
	"$SQL" -j $mode lb.db pass sql "CREATE TABLE r$round(x INTEGER PRIMARY KEY, y TEXT)" >/dev/null || bad=$((bad + 1))
	"$SQL" -j $mode lb.db pass sql "PRAGMA wal_autocheckpoint=$ckpt" count 100000 r$round \
	    > out 2>/dev/null &
	pid=$!
	# Let it commit a little (wait for its first commit), then kill it at a random moment.
	wait_for 20 grep -q committed out
	ms=$(( $(od -An -tu2 -N2 /dev/urandom | tr -d ' ') % 150 ))
	sleep "0.$(printf '%03d' $ms)"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	last=$(grep committed out | tail -n 1 | cut -d' ' -f2)
	last=${last:-0}
	total=$((total + last))
	got=$("$SQL" lb.db pass sql "SELECT count(*) || ' ' || coalesce(max(x), 0) FROM r$round" 2>&1)
	n=${got%% *}; max=${got##* }
	case "$n" in ''|*[!0-9]*) echo "# round $round: the logbook did not open: $got"; bad=$((bad + 1)); continue ;; esac
	if [ "$max" -lt "$last" ] || [ "$n" -ne "$max" ]; then
		echo "# round $round ($mode): $last commits returned, $n rows (max $max)"
		lost=$((lost + 1))
	fi
	if [ $((round % 5)) -eq 0 ] || [ $round -eq 1 ]; then
		"$OUTPOST" check --db lb.db --passphrase-file pass >/dev/null 2>err || {
			echo "# round $round: check: $(cat err)"; bad=$((bad + 1)); }
	fi
done
echo "# $total commits returned across 60 kills"
check "every committed row survived 60 SIGKILLs" [ $lost -eq 0 ]
check "the logbook always opened and checked ok" [ $bad -eq 0 ]
check "the children did commit rows" [ $total -gt 60 ]
expect_rc 0 "final check ok" "$OUTPOST" check --db lb.db --passphrase-file pass
done_testing
