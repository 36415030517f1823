# input-quarantine.sh — one bad record never stops the pipeline (issue 11 item 1): a record
# whose body holds the issue's bytes (ED A0 80, a surrogate) written below every validator
# is read around by list, search, report, export and correct, named by check, put aside by
# the hub on sync and on bundle import (counted in `outpost-hub stations`), and the sync
# goes on; a watchlist item the hub holds with the same bytes is put aside by the station
# while the good items and the settings still arrive.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
cd "$T"
HS=hub.db
ST=st.db
PORT=$(free_port)
op() { "$OUTPOST" "$@" --db "$ST" --passphrase-file sp; }
ID=11010519491231002X

# poison SEQ: replaces the marker XQX in record SEQ's stored body with ED A0 80, under
# the append-only trigger (as an older build or a disk editor could have).
poison() {
	"$LBSQL" "$ST" sp sql "DROP TRIGGER records_purge_only; UPDATE records SET body = \
	    replace(body, 'XQX', CAST(X'61EDA08062' AS TEXT)) WHERE seq = $1; CREATE TRIGGER \
	    records_purge_only BEFORE UPDATE OF body ON records WHEN NEW.purged_ms IS NULL BEGIN \
	    SELECT RAISE(ABORT, 'records are append-only'); END;" >/dev/null
}

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 last.out)
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" op enroll "$TOKEN"
expect_rc 0 "sign in" op shift start "李警官"
expect_rc 0 "a good record before" op add temp --temp 36.5 --person before
expect_rc 0 "the record to poison" op add visitor --id-number "$ID" --phone 13812345678 \
    --host 3-2-301 --health-code green --name "XQX" --temp 36.5
BAD=$(cat last.out)
expect_rc 0 "a good record after" op add visitor --id-number 110105194912310011 \
    --phone 13912345678 --host 3-2-302 --health-code green --name 王五 --temp 36.6
GOOD=$(cat last.out)
poison "$BAD"
check "the stored body now holds ED A0 80" sh -c \
    "'$LBSQL' '$ST' sp sql 'SELECT instr(hex(body), \"EDA080\") > 0 FROM records WHERE seq = $BAD' | grep -qx 1"

# the station reads and exports around it
expect_rc 0 "list still works" op list
check "… shows the records around it" sh -c "grep -q before last.out && grep -q 王五 last.out"
check "… and says one was left out" grep -q "records that cannot be read, left out: 1" last.err
expect_rc 0 "list --format json still works" op list --format json
check "… and is valid JSON without it" sh -c "python3 -c 'import json,sys; d=json.load(open(\"last.out\")); sys.exit(not (len(d) >= 3 and all(r[\"ref\"] != $BAD for r in d)))'"
expect_rc 0 "list visitor" op list visitor
expect_rc 0 "search still works" op search 139
check "… and finds the good visitor" grep -q 王五 last.out
expect_rc 0 "search for the bad one's phone does not fail" op search 138
expect_rc 0 "report still works" op report
expect_rc 0 "export still works" op export --format csv --out all.csv
check "… with the good records" grep -q 王五 all.csv
expect_rc 0 "inside now still works" op list --inside
expect_rc 3 "list of the bad record itself says it cannot be read" op list "$BAD"
check "… and what to do" grep -q "outpost check" last.err
expect_rc 0 "a correction of a good record still works" op correct "$GOOD" --name 王六 \
    --reason typo
expect_rc 3 "check names it" op check
check "… as damaged, by seq" grep -q "damaged: records that cannot be read: 1 (seq $BAD)" last.err

# sync never stalls on it: the hub puts it aside and acknowledges past it
expect_rc 0 "sync pushes everything" op sync
check "every record acknowledged" sh -c "grep -q ' 0 waiting\\| waiting 0\\|records pushed' last.out"
expect_rc 0 "a second sync has nothing left to do (exit 0)" op sync
check "… up to date" grep -q "up to date" "$T/last.out"
expect_rc 0 "hub stations" hub_cmd "$HS" stations
sed 's/^/# /' last.out
check "counts one unreadable, none behind" grep -q "gate1 *active .* 0 *[-+0-9.s]* *1$" last.out
check "the hub holds the good ones" sh -c \
    "'$LBSQL' '$HS' hp sql 'SELECT count(*) FROM records' | grep -qx $(( $("$LBSQL" "$ST" sp sql 'SELECT count(*) FROM records') - 1 ))"
check "and the bad one byte for byte in quarantine" sh -c \
    "'$LBSQL' '$HS' hp sql 'SELECT seq, instr(hex(body), \"EDA080\") > 0 FROM quarantine' | grep -qx '$BAD	1'"
expect_rc 0 "a record after it syncs" op add temp --temp 36.6 --person later
expect_rc 0 "sync" op sync
check "… pushed" grep -q "1 records pushed" last.out

# the same through a bundle
hub_stop
expect_rc 0 "one more bad record" op add temp --temp 36.7 --person XQX
BAD2=$(cat last.out)
expect_rc 0 "and a good one" op add temp --temp 36.8 --person after2
poison "$BAD2"
expect_rc 0 "bundle writes it" op bundle --out b1
expect_rc 0 "hub import takes the bundle" hub_cmd "$HS" import b1
expect_rc 0 "hub stations" hub_cmd "$HS" stations
check "counts two unreadable, none behind" grep -q "gate1 *active .* 0 *[-+0-9.s]* *2$" last.out
expect_rc 0 "hub import again doubles nothing" hub_cmd "$HS" import b1
check "… 0 new" grep -q "0 new" last.out
expect_rc 0 "hub stations --format csv" hub_cmd "$HS" stations --format csv
check "CSV has the unreadable column" sh -c "head -n 1 last.out | grep -q ',unreadable$' && grep -q '^gate1,.*,2$' last.out"

# hub items: one bad watchlist entry, the good ones and a setting still arrive
"$LBSQL" "$HS" hp sql "INSERT INTO items(kind, key, value, extra, ver) VALUES \
    (2, 'plate:京A11111', CAST(X'77616E746564EDA080' AS TEXT), '', 1), \
    (2, 'id:123', 'short', '', 2), (2, 'plate:京A22222', 'stolen', '2026-02-30', 3), \
    (2, 'plate:京A33333', 'stolen', '', 4), (1, 'fever_threshold', '37.6', '', 1)" >/dev/null
# a body too large for the wire (9000 bytes where a field holds 63) is sent as a bad record
expect_rc 0 "a record to blow up" op add temp --temp 36.9 --person XQX
BAD3=$(cat last.out)
"$LBSQL" "$ST" sp sql "DROP TRIGGER records_purge_only; UPDATE records SET body = \
    replace(body, 'XQX', printf('%.9000c', 'x')) WHERE seq = $BAD3; CREATE TRIGGER \
    records_purge_only BEFORE UPDATE OF body ON records WHEN NEW.purged_ms IS NULL BEGIN \
    SELECT RAISE(ABORT, 'records are append-only'); END;" >/dev/null
check "hub serves again" hub_start "$HS" "$PORT"
expect_rc 0 "sync pulls past the bad items, and pushes past the oversized record" op sync
check "the good entry and the setting are taken" grep -q "2 settings and watchlist entries pulled" last.out
expect_rc 0 "hub stations" hub_cmd "$HS" stations
check "counts three unreadable, none behind" grep -q "gate1 *active .* 0 *[-+0-9.s]* *3$" last.out
check "the station has the good entry" sh -c \
    "'$LBSQL' '$ST' sp sql \"SELECT count(*) FROM watchlist WHERE value = '京A33333'\" | grep -qx 1"
check "… and the setting" sh -c \
    "'$LBSQL' '$ST' sp sql \"SELECT value FROM settings WHERE key = 'fever_threshold'\" | grep -qx 37.6"
expect_rc 3 "check lists what was put aside" op check
check "three watchlist items put aside" grep -q "items from the hub put aside: 3" last.out
check "the entry that is not text, with why" grep -q "京A11111.*not valid text" last.out
check "the bad date with its reason" grep -q "京A22222.*not on the calendar" last.out
check "the short ID with its reason" grep -q "id:123.*value:" last.out
expect_rc 0 "the next sync has nothing new (does not stall)" op sync
check "… up to date" grep -q "up to date" "$T/last.out"

# retention holds for what cannot be read: its whole body is blanked, the rest purged as usual
LATER=$(( ($(date +%s) + 60 * 86400) * 1000 ))
expect_rc 0 "purge 60 days on" env OUTPOST_NOW=$LATER "$OUTPOST" purge --db "$ST" --passphrase-file sp
check "… says it blanked the unreadable ones whole" grep -q "blanked whole: 3" last.out
check "their bodies are empty now" sh -c \
    "'$LBSQL' '$ST' sp sql 'SELECT body FROM records WHERE seq IN ($BAD, $BAD2, $BAD3)' | grep -cx '{}' | grep -qx 3"
check "no trace of the bytes" sh -c \
    "'$LBSQL' '$ST' sp sql 'SELECT count(*) FROM records WHERE instr(hex(body), \"EDA080\") > 0' | grep -qx 0"
expect_rc 0 "list still works after the purge" env OUTPOST_NOW=$LATER "$OUTPOST" list --db "$ST" --passphrase-file sp
# a station name that reached the hub store some other way is printed escaped by report
hub_stop
"$LBSQL" "$HS" hp sql "UPDATE stations SET name = 'gate1' || char(27) || '[2J'" >/dev/null
expect_rc 0 "hub report" hub_cmd "$HS" report
check "prints the station escaped" sh -c "grep -qF 'gate1\\u{001B}[2J' last.out && ! grep -q \"\$(printf '\\033')\" last.out"
done_testing
