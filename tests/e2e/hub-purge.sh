# hub-purge.sh — retention at the hub: visitors logged 40 days ago and today reach the hub;
# outpost-hub purge (at the default 28 days) blanks the old ones' personal fields in every
# stored version, keeps the new ones and every count; an export after it holds no purged
# name, ID number or phone; retention_days set at the hub is pushed to the station and
# applies at the hub too; serve runs the day's purge by itself. The hub's own resource
# settings (hub.*) are checked, listed and never pushed.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
HS="$T/hub.db"
ST="$T/st.db"
PORT=$(free_port)
OLD=$(date -d '40 days ago' +%Y-%m-%dT10:00:00)
OLDDAY=$(date -d '40 days ago' +%F)
NEXTDAY=$(date -d '39 days ago' +%F)

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" st_cmd "$ST" enroll "$TOKEN"
hub_stop
OUTPOST_NOW=$OLD "$LBADD" "$ST" "$T/sp" visitor 1 id_type=resident_id \
    id_number=110101199003074514 name=王五老 phone=13800138000 host=3-2-301 \
    health_code=green reason=visit >/dev/null
set -- $("$LBSQL" "$ST" "$T/sp" sql "SELECT seq FROM records WHERE kind = 'visitor' ORDER BY seq LIMIT 1")
OUTPOST_NOW=$OLD expect_rc 0 "an old correction" "$OUTPOST" correct "$1" --db "$ST" \
    --passphrase-file "$T/sp" --name 王五改 --reason typo
"$LBADD" "$ST" "$T/sp" visitor 1 id_type=resident_id id_number=11010519491231002X \
    name=赵新 phone=13900139000 host=1-1-101 health_code=green reason=visit >/dev/null
check "the hub serves again" hub_start "$HS" "$PORT"
expect_rc 0 "the station syncs" st_cmd "$ST" sync
hub_stop

expect_rc 0 "export before the purge" hub_cmd "$HS" export --format csv
check "it holds the old visitor's name" grep -q 王五改 "$T/last.out"
expect_rc 0 "report of that day before" hub_cmd "$HS" report --since "$OLDDAY" --until "$NEXTDAY"
sed -n '/^Records by/,/^Fevers:/p' "$T/last.out" >"$T/before"
check "one visitor that day" grep -q "gate1 *visitor *1" "$T/before"

expect_rc 0 "hub purge" hub_cmd "$HS" purge
check "it says what it did" grep -q "Retention 28 days: personal fields blanked in [1-9][0-9]* records" "$T/last.out"
expect_rc 0 "export after the purge" hub_cmd "$HS" export --format csv --out "$T/after.csv"
check "no purged name" sh -c "! grep -q '王五' '$T/after.csv'"
check "no purged ID number" sh -c "! grep -q '110101199003074514' '$T/after.csv'"
check "no purged phone" sh -c "! grep -q '13800138000' '$T/after.csv'"
check "today's visitor is untouched" grep -q 赵新 "$T/after.csv"
check "every version is still there" test "$(grep -c visitor "$T/after.csv")" -eq 3
expect_rc 0 "report of that day after" hub_cmd "$HS" report --since "$OLDDAY" --until "$NEXTDAY"
sed -n '/^Records by/,/^Fevers:/p' "$T/last.out" >"$T/after"
check "the counts are kept" cmp -s "$T/before" "$T/after"
expect_rc 0 "purge again" hub_cmd "$HS" purge
check "nothing more to do" grep -q "blanked in 0 records" "$T/last.out"

# the district's retention: set at the hub, pushed to the station, applied at the hub
expect_rc 0 "retention 50 days at the hub" hub_cmd "$HS" settings set retention_days 50
# the hub's own resource settings: checked, listed, never pushed
expect_rc 4 "a page cache of 1 MiB is refused" hub_cmd "$HS" settings set hub.cache_mib 1
check "it says the range" grep -q "hub.cache_mib must be a whole number from 2 to 65536" "$T/last.err"
expect_rc 4 "an unknown hub setting is refused" hub_cmd "$HS" settings set hub.nope 3
expect_rc 0 "a page cache of 32 MiB" hub_cmd "$HS" settings set hub.cache_mib 32
expect_rc 0 "settings list" hub_cmd "$HS" settings list
check "lists it" grep -qx "hub.cache_mib=32" "$T/last.out"
check "and the WAL limit's default" grep -qx "hub.wal_limit_mib=64" "$T/last.out"
check "the hub serves" hub_start "$HS" "$PORT"
expect_rc 0 "the station pulls it" st_cmd "$ST" sync
check "the station has retention_days 50" sh -c \
    "'$LBSQL' '$ST' '$T/sp' sql \"SELECT value FROM settings WHERE key = 'retention_days'\" | grep -qx 50"
check "the station did not get the hub's own setting" sh -c \
    "! '$LBSQL' '$ST' '$T/sp' sql \"SELECT key FROM settings\" | grep -q '^hub\\.'"
hub_stop
expect_rc 0 "hub purge at 50 days" hub_cmd "$HS" purge
check "it uses the district's retention" grep -q "Retention 50 days" "$T/last.out"

# serve purges by itself once a day: a fresh hub with an old record and no purge yet
HS2="$T/hub2.db"
PORT2=$(free_port)
expect_rc 0 "second hub" hub_cmd "$HS2" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT2"
expect_rc 0 "enroll" hub_cmd "$HS2" enroll --station gate2
TOKEN=$(tail -n 1 "$T/last.out")
ST2="$T/st2.db"
station_init "$ST2"
check "second hub serves" hub_start "$HS2" "$PORT2"
expect_rc 0 "station 2 enrolls" st_cmd "$ST2" enroll "$TOKEN"
OUTPOST_NOW=$OLD "$LBADD" "$ST2" "$T/sp" visitor 1 id_type=resident_id \
    id_number=110101199003074514 name=钱老 phone=13800138000 host=3-2-301 \
    health_code=green reason=visit >/dev/null
expect_rc 0 "station 2 syncs" st_cmd "$ST2" sync
hub_stop
check "today's purge ran at start, before the old record came" grep -q "purge: 0 records" "$T/serve.err"
# the next day: serve purges again by itself
check "serve, a day later" hub_start "$HS2" "$PORT2" "OUTPOST_NOW=$(date -d tomorrow +%Y-%m-%dT09:00:00)"
check "serve logs the day's purge" wait_for 30 grep -q "purge: [1-9][0-9]* records purged, done for today" "$T/serve.err"
hub_stop
expect_rc 0 "export of the second hub" hub_cmd "$HS2" export --format jsonl
check "serve purged the old visitor" sh -c "! grep -q '钱老' '$T/last.out'"
check "and kept the record" grep -q '"kind":"visitor"' "$T/last.out"
done_testing
