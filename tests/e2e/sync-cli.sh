# sync-cli.sh — outpost-hub and the station's enroll, sync and bundle, end to end on
# loopback: enrollment round trip, exactly-once push, pull of settings and a watchlist
# that then raises an alert, bundles imported twice and tampered, revoke, and a station
# that refuses a stand-in hub with another key.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
OTHERPID=""
tm_stop() { tmux -S "$T/tmux.sock" kill-server 2>/dev/null; }
other_stop() { [ -n "$OTHERPID" ] && kill "$OTHERPID" 2>/dev/null; }
cleanup_hooks="$cleanup_hooks hub_stop tm_stop other_stop"
HS=$(hub_store_new hub)
ST="$T/st.db"
PORT=$(free_port)

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 1 "hub init refuses to overwrite a store" hub_cmd "$HS" init --kdf test-cheap
check "… and the store is still there" hub_store_exists "$HS"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "the token is alone on the last line" sh -c "echo '$TOKEN' | grep -qx 'OUTPOST1\.[A-Za-z0-9_-]*'"
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls with the token" st_cmd "$ST" enroll "$TOKEN"
station_init "$T/st2.db"
expect_rc 2 "the token works once" st_cmd "$T/st2.db" enroll --timeout 30 "$TOKEN"
expect_rc 4 "a mistyped token is caught" st_cmd "$T/st2.db" enroll "${TOKEN}x"
expect_rc 4 "sync before enrolling says so" st_cmd "$T/st2.db" sync --timeout 2

"$LBADD" "$ST" "$T/sp" temp 120 >/dev/null
expect_rc 0 "first sync pushes" st_cmd "$ST" sync
check "summary says 121 pushed" grep -q "121 records pushed" "$T/last.out"
expect_rc 0 "second sync has nothing to do: a success" st_cmd "$ST" sync
check "… and says up to date" grep -q "up to date" "$T/last.out"
check "hub holds every record once, equal field by field" same_records "$ST" "$HS" gate1

# settings and watchlist from the hub, then an alert on a new record
printf 'type,value,reason,until\nid,110101199003074514,wanted,\nplate,京A 12345,stolen,\n' >"$T/wl.csv"
expect_rc 0 "hub watchlist import" hub_cmd "$HS" watchlist import "$T/wl.csv"
expect_rc 0 "hub settings set" hub_cmd "$HS" settings set fever_threshold 37.6
expect_rc 0 "hub watchlist list" hub_cmd "$HS" watchlist list
check "values are stored normalized" grep -q "^plate,京A12345,stolen," "$T/last.out"
expect_rc 0 "hub settings list" hub_cmd "$HS" settings list
check "settings list shows the value" grep -qx "fever_threshold=37.6" "$T/last.out"
printf 'type,value\nshoe,123\n' >"$T/bad.csv"
expect_rc 4 "a bad watchlist line is refused" hub_cmd "$HS" watchlist import "$T/bad.csv"
expect_rc 0 "sync pulls them" st_cmd "$ST" sync
check "3 entries pulled" grep -q "3 settings and watchlist entries pulled" "$T/last.out"
check "the station has the hub's fever threshold" sh -c \
    "'$LBSQL' '$ST' '$T/sp' sql \"SELECT value FROM settings WHERE key = 'fever_threshold'\" | grep -qx 37.6"
"$LBADD" "$ST" "$T/sp" visitor 1 id_type=resident_id id_number=110101199003074514 name=X \
    phone=13800138000 host=3-2-301 health_code=green reason=visit >"$T/alert.out"
check "a new record matching the pulled watchlist raises an alert" grep -q "^alert:" "$T/alert.out"
expect_rc 0 "watchlist entry removed at the hub" hub_cmd "$HS" watchlist remove id 110101199003074514
expect_rc 0 "sync pulls the removal (and pushes the visitor)" st_cmd "$ST" sync
V=$("$LBSQL" "$ST" "$T/sp" sql "SELECT max(seq) FROM records WHERE kind = 'visitor'")
expect_rc 0 "the visitor leaves (the same person is never inside twice)" st_cmd "$ST" exit "$V"
"$LBADD" "$ST" "$T/sp" visitor 1 id_type=resident_id id_number=110101199003074514 name=X \
    phone=13800138000 host=3-2-301 health_code=green reason=visit >"$T/alert.out"
check "no alert once removed" sh -c "! grep -q '^alert:' '$T/alert.out'"
expect_rc 0 "sync" st_cmd "$ST" sync

# USB bundle while the hub is down
hub_stop
"$LBADD" "$ST" "$T/sp" temp 40 >/dev/null
expect_rc 5 "sync with the hub down: unreachable" st_cmd "$ST" sync --timeout 1
expect_rc 0 "bundle" st_cmd "$ST" bundle --out "$T/b1"
check "bundle holds the 40 records" grep -q "40 records" "$T/last.out"
check "no personal data in the bundle" sh -c "! grep -q 13800138000 '$T/b1'"
cp "$T/b1" "$T/b2"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$T/b2"
expect_rc 4 "a tampered bundle is refused" hub_cmd "$HS" import "$T/b2"
held_before=$(hub_cmd "$HS" export --format csv | wc -l)
expect_rc 4 "a tampered bundle is refused again" hub_cmd "$HS" import "$T/b2"
check "… and nothing is stored" test "$(hub_cmd "$HS" export --format csv | wc -l)" -eq "$held_before"
expect_rc 0 "hub import" hub_cmd "$HS" import "$T/b1"
check "40 new" grep -q "40 new" "$T/last.out"
expect_rc 0 "hub import again" hub_cmd "$HS" import "$T/b1"
check "0 new, 40 held already" grep -q "0 new, 40 held already" "$T/last.out"
check "hub holds every record once after the bundle" same_records "$ST" "$HS" gate1
check "hub serves again" hub_start "$HS" "$PORT"
expect_rc 0 "sync after the bundle doubles nothing" st_cmd "$ST" sync
check "… up to date" grep -q "up to date" "$T/last.out"
check "still every record once" same_records "$ST" "$HS" gate1

# a station clock an hour ahead: the hub notes the skew, stores the records anyway
"$LBADD" "$ST" "$T/sp" temp 1 >/dev/null
ahead=$(( $(date +%s) * 1000 + 3600 * 1000 ))
OUTPOST_NOW=$ahead "$LBADD" "$ST" "$T/sp" temp 1 >/dev/null
expect_rc 0 "sync with a clock an hour ahead" env OUTPOST_NOW=$ahead "$OUTPOST" sync --db "$ST" --passphrase-file "$T/sp"
check "the station is told its clock is an hour off" grep -q "clock +3[56][0-9][0-9]\.[0-9] s" "$T/last.out"
expect_rc 0 "hub stations" hub_cmd "$HS" stations
check "the hub notes the skew" grep -q "gate1 .* +3[56][0-9][0-9]\.[0-9]s" "$T/last.out"
check "the record from the future is flagged, not refused" \
    test "$(hub_sql "$HS" 'SELECT count(*) FROM records WHERE clock_flag')" = 1
expect_rc 0 "hub stations" hub_cmd "$HS" stations
sed 's/^/# /' "$T/last.out"
check "stations lists gate1 active, all held, none behind" grep -q "gate1 *active .* 166 *166 *0 " "$T/last.out"
expect_rc 0 "hub stations as CSV" hub_cmd "$HS" stations --format csv
check "CSV has a header and the station" sh -c "head -n 1 '$T/last.out' | grep -q '^station,status' && grep -q '^gate1,active,' '$T/last.out'"
expect_rc 0 "hub report" hub_cmd "$HS" report
check "report counts the temperature checks" grep -q "gate1 *temp *162" "$T/last.out"
expect_rc 0 "hub top --batch" hub_cmd "$HS" top --batch
check "top shows the station" grep -q "gate1" "$T/last.out"
# "Fevers today" starts at local midnight: the same rows as a report since today's date.
section() { awk -v h="$1" 'index($0, h) == 1 { on = 1; next } on && /^[^ ]/ { on = 0 }
    on && NF { $1 = $1; print }' "$2"; }
section "Fevers today:" "$T/last.out" > "$T/top-fevers"
expect_rc 0 "hub report since today" hub_cmd "$HS" report --since "$(date +%F)"
section "Fevers:" "$T/last.out" > "$T/report-fevers"
check "top has today's fevers (the readings are 36.0-37.9, the threshold 37.6)" grep -q "gate1 temp" "$T/top-fevers"
check "as many as a report since midnight" cmp -s "$T/top-fevers" "$T/report-fevers"
# the live dashboard, full-screen in tmux; q quits
if command -v tmux >/dev/null 2>&1; then
	TM="tmux -S $T/tmux.sock"
	$TM -f /dev/null new-session -d -s top -x 100 -y 30 "env TERM=screen LC_ALL=C.UTF-8 \
	    '$HUB' top --store '$HS' --passphrase-file '$T/hp' --interval 1; echo EXITED \$?; sleep 30"
	screen_has() { $TM capture-pane -p -t top | grep -q "$1"; }
	check "top draws the district" wait_for 10 screen_has "Arrivals per minute"
	check "top lists the station" screen_has "gate1"
	$TM send-keys -t top q
	check "q quits top cleanly" wait_for 10 screen_has "EXITED 0"
	$TM kill-server 2>/dev/null
fi
expect_rc 0 "export jsonl" hub_cmd "$HS" export --format jsonl
check "jsonl has one line per record" test "$(wc -l <"$T/last.out")" -eq 166
check "jsonl lines are JSON" python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$T/last.out"

# a stand-in hub with another key: the station will not talk to it
PORT2=$(free_port)
OTHER=$(hub_store_new other)
expect_rc 0 "stand-in hub init" hub_cmd "$OTHER" init --kdf test-cheap
: >"$T/other.out"
"$HUB" serve --store "$OTHER" --passphrase-file "$T/hp" --listen "tcp://127.0.0.1:$PORT2" \
    >"$T/other.out" 2>"$T/other.err" &
OTHERPID=$!
wait_for 10 grep -q listening "$T/other.out"
"$LBSQL" "$ST" "$T/sp" sql "UPDATE sync_identity SET v = 'tcp://127.0.0.1:$PORT2' WHERE k = 'endpoint'" >/dev/null
"$LBADD" "$ST" "$T/sp" temp 1 >/dev/null
expect_rc 2 "a station pinned to another hub key refuses the stand-in" st_cmd "$ST" sync --timeout 30
check "the stand-in got no request" sh -c "! grep -q hello '$T/other.err'"
kill "$OTHERPID"; wait "$OTHERPID" 2>/dev/null; OTHERPID=""
"$LBSQL" "$ST" "$T/sp" sql "UPDATE sync_identity SET v = 'tcp://127.0.0.1:$PORT' WHERE k = 'endpoint'" >/dev/null

# a record whose content changed after it went out in a bundle: kept apart, reported
"$LBADD" "$ST" "$T/sp" temp 2 >/dev/null
expect_rc 0 "bundle b3" st_cmd "$ST" bundle --out "$T/b3"
last=$("$LBSQL" "$ST" "$T/sp" sql "SELECT max(seq) FROM records")
# (the logbook forbids this; a test may lift the guard to play a station gone wrong)
"$LBSQL" "$ST" "$T/sp" sql "DROP TRIGGER records_purge_only; UPDATE records SET body = replace(body, '\"tz\"', '\"tz\" ') WHERE seq = $last" >/dev/null
expect_rc 0 "sync pushes the changed record" st_cmd "$ST" sync
expect_rc 0 "importing the older bundle" hub_cmd "$HS" import "$T/b3"
check "… and it is counted once as conflicting" grep -q ", 1 conflicting" "$T/last.out"
expect_rc 0 "hub report" hub_cmd "$HS" report
check "the report shows the conflict" grep -q "gate1 *conflicts *1" "$T/last.out"
check "the hub keeps the first copy it got" same_records "$ST" "$HS" gate1

# revoked: refused at once
expect_rc 0 "hub revoke" hub_cmd "$HS" revoke gate1
expect_rc 2 "a revoked station is refused" st_cmd "$ST" sync --timeout 30
check "the refusal says so" grep -qi "refused" "$T/last.err"
hub_stop
done_testing
