# hub-report.sh — outpost-hub report counts what the station counts: a station corrects
# one record and deletes another, syncs to a loopback hub, and the hub's figure for the
# day equals the station's own.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
HS="$T/hub.db"
ST="$T/st.db"
PORT=$(free_port)

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" st_cmd "$ST" enroll "$TOKEN"
"$LBADD" "$ST" "$T/sp" temp 6 >/dev/null
set -- $("$LBSQL" "$ST" "$T/sp" sql "SELECT seq FROM records WHERE kind = 'temp' ORDER BY seq LIMIT 2")
expect_rc 0 "correct a record" "$OUTPOST" correct "$1" --db "$ST" --passphrase-file "$T/sp" --value 36.6 --reason typo
expect_rc 0 "delete a record" "$OUTPOST" correct "$2" --db "$ST" --passphrase-file "$T/sp" --delete --reason duplicate
expect_rc 0 "sync pushes the versions" st_cmd "$ST" sync
expect_rc 0 "station report" st_cmd "$ST" report --format csv
st_n=$(tr -d '\r' <"$T/last.out" | sed -n 's/^temp,//p')
expect_rc 0 "hub report" hub_cmd "$HS" report
hub_n=$(sed -n '/^Records by/,/^Fevers/p' "$T/last.out" | awk '$1 == "gate1" && $2 == "temp" {print $3}')
check "the station counts 5 live temperature checks" test "$st_n" = 5
check "the hub counts the same ($hub_n)" test "$hub_n" = "$st_n"
hub_stop
done_testing
