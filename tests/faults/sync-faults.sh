# sync-faults.sh — exactly-once under faults: two stations sync through a loopback proxy
# that resets connections at random points, while the hub is killed (SIGKILL at named
# crash points: mid_batch, before_commit, after_commit_before_ack) and restarted. At the
# end the hub must hold every record of each station exactly once, equal field by field,
# with no conflicts. Rounds: SYNC_FAULT_ROUNDS (default 200); SYNC_FAULT_SECONDS bounds the
# run time (the rounds done by then are checked, never the time itself).
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
ROUNDS=${SYNC_FAULT_ROUNDS:-200}
LIMIT=${SYNC_FAULT_SECONDS:-240}
HS="$T/hub.db"
HPORT=$(free_port)
PPORT=$(free_port)
PROXYPID=""
proxy_start() {
	: >"$T/proxy.err"
	"$PROXY" "$PPORT" "$HPORT" "$1" "$2" "$((LIMIT + 60))" 2>>"$T/proxy.err" &
	PROXYPID=$!
	wait_for 10 grep -q listening "$T/proxy.err"
}
proxy_stop() {
	if [ -n "$PROXYPID" ]; then
		kill "$PROXYPID" 2>/dev/null
		wait "$PROXYPID" 2>/dev/null
		PROXYPID=""
	fi
}
cleanup_hooks="hub_stop proxy_stop"

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PPORT"
check "hub serves" hub_start "$HS" "$HPORT"
check "proxy runs" proxy_start 0 1
for s in a b; do
	station_init "$T/$s.db"
	hub_cmd "$HS" enroll --station "st-$s" >"$T/tok-$s" 2>&1
	expect_rc 0 "station $s enrolls through the proxy" st_cmd "$T/$s.db" enroll "$(tail -n 1 "$T/tok-$s")"
done
proxy_stop
check "proxy cuts 40% of connections" proxy_start 40 "$$"

crashes="mid_batch before_commit after_commit_before_ack"
start=$(date +%s)
bad=0 round=0 killed=0
while [ "$round" -lt "$ROUNDS" ]; do
	if [ $(( $(date +%s) - start )) -gt "$LIMIT" ]; then
		echo "# stopped after $round rounds: over ${LIMIT}s"
		break
	fi
	round=$((round + 1))
	if [ $((round % 3)) -eq 1 ]; then
		"$LBADD" "$T/a.db" "$T/sp" temp $((1 + round % 7)) >/dev/null || bad=1
		"$LBADD" "$T/b.db" "$T/sp" temp $((1 + round % 5)) >/dev/null || bad=1
	fi
	if [ $((round % 25)) -eq 0 ]; then
		# a hub that dies at a crash point during this round's batch
		set -- $crashes
		n=$(( (round / 25) % 3 + 1 ))
		eval point=\${$n}
		"$LBADD" "$T/a.db" "$T/sp" temp 30 >/dev/null || bad=1
		hub_stop
		hub_start "$HS" "$HPORT" "OUTPOST_CRASH=$point" || bad=1
		kill -USR1 "$PROXYPID"	# this round's batch must reach the crash point
		st_cmd "$T/a.db" sync --quiet --timeout 1 >/dev/null 2>&1
		rc=$?
		kill -USR2 "$PROXYPID"
		case $rc in 0|5) ;; *) echo "# round $round: sync exited $rc"; bad=1 ;; esac
		if wait_for 3 sh -c "! kill -0 $HUBPID 2>/dev/null"; then
			killed=$((killed + 1))
			wait "$HUBPID" 2>/dev/null
			HUBPID=""
		else
			hub_stop
		fi
		hub_start "$HS" "$HPORT" || bad=1
		continue
	fi
	st_cmd "$T/a.db" sync --quiet --timeout 1 >/dev/null 2>&1 &
	pa=$!
	st_cmd "$T/b.db" sync --quiet --timeout 1 >/dev/null 2>&1
	rb=$?
	wait $pa
	ra=$?
	for rc in $ra $rb; do
		case $rc in 0|5) ;; *) echo "# round $round: sync exited $rc"; bad=1 ;; esac
	done
done
echo "# $round rounds in $(( $(date +%s) - start ))s, $(grep -c '^cut' "$T/proxy.err") connections cut, $killed hub kills"
ok $bad "$round rounds of syncs through cuts and hub kills, every exit 0 or 5"
check "at least 25 rounds ran" test "$round" -ge 25
check "the hub was killed at its crash points" test "$killed" -eq $((round / 25))
check "the proxy did cut connections" test "$(grep -c '^cut' "$T/proxy.err")" -ge 10

# a link that swallows everything: noticed within seconds, nothing lost
proxy_stop
check "proxy black-holes" proxy_start -1 1
"$LBADD" "$T/a.db" "$T/sp" temp 3 >/dev/null
expect_rc 5 "sync over a dead link says unreachable" st_cmd "$T/a.db" sync --timeout 1
check "… because the hub did not answer" grep -q "did not answer\|took too long" "$T/last.err"
proxy_stop
check "proxy passes everything" proxy_start 0 1

# heal the link and let both stations finish
for s in a b; do
	n=0
	until st_cmd "$T/$s.db" sync --timeout 2 2>/dev/null | grep -q "up to date"; do
		n=$((n + 1))
		[ $n -ge 20 ] && break
	done
	check "station $s converges" test $n -lt 20
	check "hub holds every record of $s exactly once, equal field by field" \
	    same_records "$T/$s.db" "$HS" "st-$s"
done
check "no conflicts at the hub" sh -c "[ \"\$('$LBSQL' '$HS' '$T/hp' sql 'SELECT count(*) FROM conflicts')\" = 0 ]"
hub_stop
proxy_stop
done_testing
