# hub-report.sh — outpost-hub report counts what the station counts: a station corrects
# one record and deletes another, syncs to a loopback hub, and the hub's figure for the
# day equals the station's own. A triage station with its fever threshold at 37.8 has
# its 37.5 not counted as a fever at the hub and its 37.9 counted; --since/--until
# (whole days, exclusive end) and --station bound the report, and bad values say what is
# wrong.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="$cleanup_hooks hub_stop"
HS=$(hub_store_new hub)
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

# count SECTION STATION KIND: the figure in a section of the last report ("" if no row).
count() {
	awk -v sec="$1" -v st="$2" -v k="$3" '/^[^ ]/ { in_sec = index($0, sec) == 1 }
	    in_sec && $1 == st && $2 == k { print $3 }' "$T/last.out"
}
CL="$T/clinic.db"
expect_rc 0 "hub enrolls a triage station" hub_cmd "$HS" enroll --station clinic
TOKEN=$(tail -n 1 "$T/last.out")
"$OUTPOST" init --db "$CL" --passphrase-file "$T/sp" --kdf test-cheap \
    --station-kind triage --station C >/dev/null
expect_rc 0 "the clinic enrolls" st_cmd "$CL" enroll "$TOKEN"
expect_rc 0 "its fever threshold is 37.8" st_cmd "$CL" settings set fever_threshold 37.8
OUTPOST_NOW=2026-03-01T09:00:00 "$LBADD" "$CL" "$T/sp" triage 1 name=A temp=37.5 >/dev/null
OUTPOST_NOW=2026-03-01T10:00:00 "$LBADD" "$CL" "$T/sp" triage 1 name=B temp=37.9 >/dev/null
OUTPOST_NOW=2026-03-02T09:00:00 "$LBADD" "$CL" "$T/sp" triage 1 name=C temp=38.5 >/dev/null
expect_rc 0 "the clinic syncs" st_cmd "$CL" sync

expect_rc 0 "report for the first of March" hub_cmd "$HS" report --since 2026-03-01 --until 2026-03-02
check "three triage records in all, two that day" test "$(count Records clinic triage)" = 2
check "37.5 at a 37.8 threshold is no fever, 37.9 is one" test "$(count Fevers clinic triage)" = 1
check "gate1's records of today are outside the range" test -z "$(count Records gate1 temp)"
expect_rc 4 "a time of day is refused: the hub keeps daily totals" hub_cmd "$HS" report --since 2026-03-01 --until 2026-03-01T10:00
check "it says a report covers whole days" grep -q -- "--until: '2026-03-01T10:00' is not a midnight" "$T/last.err"
expect_rc 0 "a midnight written as a time is a day" hub_cmd "$HS" report --since 2026-03-01 --until 2026-03-02T00:00
check "the end is exclusive: the next day's record is left out" test "$(count Records clinic triage)" = 2
expect_rc 0 "report since the first" hub_cmd "$HS" report --since 2026-03-01
check "without --until, every later record" test "$(count Fevers clinic triage)" = 2

expect_rc 0 "report for one station" hub_cmd "$HS" report --station clinic
check "its records" test "$(count Records clinic triage)" = 3
check "no other station's" test -z "$(count Records gate1 temp)"
expect_rc 0 "report for two stations" hub_cmd "$HS" report --station clinic --station gate1
check "both stations' records" test "$(count Records clinic triage)" = 3 -a "$(count Records gate1 temp)" = "$hub_n"

expect_rc 4 "an unknown station is invalid input" hub_cmd "$HS" report --station nowhere
check "it says so and how to list stations" sh -c "grep -q \"no station named 'nowhere'\" '$T/last.err' && grep -q 'outpost-hub stations' '$T/last.err'"
check "and prints no report" test ! -s "$T/last.out"
expect_rc 4 "--until before --since is invalid input" hub_cmd "$HS" report --since 2026-03-02 --until 2026-03-01
check "it says so" grep -q -- "--until 2026-03-01 is not after --since 2026-03-02" "$T/last.err"
expect_rc 4 "--until equal to --since is an empty range" hub_cmd "$HS" report --since 2026-03-01 --until 2026-03-01
expect_rc 4 "a malformed --until is invalid input" hub_cmd "$HS" report --until 2026-13-45x
check "it names the option and the formats" grep -q -- "--until: '2026-13-45x' is not a date YYYY-MM-DD" "$T/last.err"
expect_rc 4 "a malformed --since is invalid input" hub_cmd "$HS" report --since yesterday
check "it names the option" grep -q -- "--since: 'yesterday'" "$T/last.err"
expect_rc 4 "in Chinese too" env LC_ALL=zh_CN.UTF-8 OUTPOSTLOCALEDIR="$PWD/$B/locale" \
    "$HUB" report --store "$HS" --passphrase-file "$T/hp" --station nowhere
check "the message is translated" grep -q "没有名为“nowhere”的站点" "$T/last.err"
expect_rc 1 "--station needs a name" hub_cmd "$HS" report --station
if [ "$HUB_STORE" != postgresql ]; then
	expect_rc 5 "a store that is not there" hub_cmd "$T/none.db" report
	check "says how to make a hub store, not a station's logbook" \
	    grep -q "no hub store at $T/none.db (make one with 'outpost-hub init" "$T/last.err"
	check "and leaves nothing behind" test ! -e "$T/none.db"
fi
hub_stop
done_testing
