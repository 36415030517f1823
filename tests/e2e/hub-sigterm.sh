# hub-sigterm.sh — `outpost-hub serve` gets SIGTERM (as systemd stops outpost-hub.service)
# while a station's batch is in flight: in the middle of its ingest, just before its
# commit, and between its commit and its ACK (OUTPOST_CRASH=POINT:N:term raises SIGTERM
# there). Each time the hub finishes that batch, answers it and exits 0: the station's
# acknowledged mark then equals what the hub holds. In the end every record is at the hub
# exactly once. serve refuses --ingest-connections above 1 on SQLite (one writer at a time).
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
HS="$T/hub.db"
ST="$T/st.db"
PORT=$(free_port)

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
# a SQLite store takes one writer: more ingest connections are refused, before listening
expect_rc 1 "serve refuses --ingest-connections 2 on SQLite" "$HUB" serve --store "$HS" \
    --passphrase-file "$T/hp" --listen "tcp://127.0.0.1:$PORT" --ingest-connections 2
check "… saying it is for PostgreSQL" grep -q "it is for PostgreSQL" "$T/last.err"
check "… and listened nowhere" sh -c "! grep -q listening '$T/last.out'"
expect_rc 4 "serve refuses --ingest-connections 0" "$HUB" serve --store "$HS" \
    --passphrase-file "$T/hp" --listen "tcp://127.0.0.1:$PORT" --ingest-connections 0
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" st_cmd "$ST" enroll "$TOKEN"
hub_stop
check "3000 records to push" sh -c "'$LBADD' '$ST' '$T/sp' temp 3000 >/dev/null"

# the hub exited: gone, or a zombie until the shell reaps it
hub_gone() { [ ! -e "/proc/$HUBPID" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$HUBPID/stat"; }
held() { "$LBSQL" "$HS" "$T/hp" sql 'SELECT count(*) FROM records'; }
acked() { "$LBSQL" "$ST" "$T/sp" sql 'SELECT acked_seq FROM outbox'; }
before=0
for point in mid_batch before_commit after_commit_before_ack; do
	# the second batch of this pass gets the signal
	b0=$(grep -c ': batch ' "$T/serve.err")
	check "$point: the hub serves" hub_start "$HS" "$PORT" "OUTPOST_CRASH=$point:2:term"
	# sync until the hub stops by itself (a pass cut short under load just runs again);
	# bounded: a hub that never stops is killed and fails the check below
	n=0
	until hub_gone || [ $n -ge 5 ]; do
		st_cmd "$ST" sync --quiet --timeout 5 >/dev/null 2>&1
		n=$((n + 1))
	done
	hub_gone || kill -KILL "$HUBPID"
	wait "$HUBPID"
	rc=$?
	HUBPID=""
	ok $rc "$point: SIGTERM in the batch, the hub exits 0 (exit $rc)"
	h=$(held) a=$(acked)
	echo "# $point: hub holds $h (had $before), station acknowledged $a"
	b=$(( $(grep -c ': batch ' "$T/serve.err") - b0 ))
	check "$point: the hub finished the batch it was on (2 batches stored, not 1: $b)" test "$b" -eq 2
	check "$point: … and holds more records" test "$h" -gt "$before"
	check "$point: its ACK reached the station ($a = $h)" test "$a" = "$h"
	check "$point: the hub said it stopped on the signal, not on an error" sh -c "! grep -qi 'failed' '$T/serve.err'"
	before=$h
done
check "records are left for the last pass" test "$(held)" -lt 3000
check "the hub serves once more" hub_start "$HS" "$PORT"
expect_rc 0 "a last sync finishes the push" st_cmd "$ST" sync
check "every record at the hub exactly once, equal field by field" same_records "$ST" "$HS" gate1
check "no conflicts" sh -c "[ \"\$('$LBSQL' '$HS' '$T/hp' sql 'SELECT count(*) FROM conflicts')\" = 0 ]"
hub_stop
done_testing
