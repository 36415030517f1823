#!/bin/sh
# Input without an input method, and input from one: a province typed by its pinyin
# ("jiG7K2Q9") and full-width letters and digits (Ａ１２, ，) are stored plain by the CLI
# (tui-plates.sh types them on the screen).
. tests/e2e/lib.sh
OLDPWD=$PWD
cd "$T"
echo "correct horse battery staple" > pass
export TZ=Asia/Shanghai OUTPOST_NOW=2026-03-01T08:00:00
DB=traffic.db
op() { "$OUTPOST" "$@" --db "$DB" --passphrase-file pass; }
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
check "init a traffic logbook" sh -c "'$OUTPOST' init --db $DB --station-kind traffic --station 'G4 北' --passphrase-file pass --kdf test-cheap >/dev/null"
op shift start "李警官" >/dev/null
expect_rc 0 "a plate with its province by pinyin, full-width ID, phone, occupants' temperatures" \
    op add vehicle --plate jiG7K2Q9 --name 司机 --id-number "１１０１０５１９４９１２３１００２Ｘ" \
    --phone "１３８１２３４５６７８" --driver-temp "３６．６" --occupants "２" --occupant-temps "３６．５，３７。０" \
    --origin 深圳 --destination 广州 --disposition pass
op list vehicle --format json >rows.json
check "the plate is stored with its character" [ "$(py 'd[0]["fields"]["plate"]' <rows.json)" = "冀G7K2Q9" ]
check "the ID is stored plain" [ "$(py 'd[0]["fields"]["driver_id_number"]' <rows.json)" = "11010519491231002X" ]
check "the phone is stored plain" [ "$(py 'd[0]["fields"]["driver_phone"]' <rows.json)" = "13812345678" ]
check "two occupants" [ "$(py 'd[0]["fields"]["occupants"]' <rows.json)" = "2" ]
check "their temperatures, split at the Chinese comma" [ "$(py 'd[0]["fields"]["occupant_temps"]' <rows.json)" = "36.5,37.0" ]
expect_rc 0 "yue, jing and a province's name" op add vehicle --plate yueB12345 --name 司机 \
    --driver-temp 36.5 --occupants 1 --occupant-temps 36.5 --origin 深圳 --disposition pass
check "yue is 粤" sh -c "'$OUTPOST' list vehicle --db $DB --passphrase-file pass --format json | grep -q '粤B12345'"
expect_rc 0 "a search by the pinyin form finds it" op search 冀G7K
check "found" grep -q "冀G7K2Q9" last.out
# a bin code is kept without its dash, and the CLI says so
expect_rc 0 "a bin B-01" op add bin --code B-01 --place 东门
check "the CLI says it is kept as B01" grep -q "Bin code kept as B01" last.err
# settings typed with an input method
expect_rc 0 "a full-width whole number setting" op settings set recheck_minutes "２０"
check "stored plain" [ "$(op settings get recheck_minutes)" = 20 ]
expect_rc 0 "a full-width threshold with the Chinese full stop" op settings set fever_threshold "３７。５"
check "stored as 37.5" [ "$(op settings get fever_threshold)" = 37.5 ]
expect_rc 0 "high-risk prefixes with the Chinese comma" op settings set high_risk_plates "鄂Ａ，鄂Ｂ"
check "stored with plain commas" [ "$(op settings get high_risk_plates)" = "鄂A,鄂B" ]
# why a vehicle was flagged is said in the interface's language, the fever first
op settings set high_risk_origins 武汉 >/dev/null
expect_rc 0 "a flagged vehicle, in Chinese" env LC_ALL=zh_CN.UTF-8 OUTPOSTLOCALEDIR="$OLDPWD/$B/locale" \
    "$OUTPOST" add vehicle --db $DB --passphrase-file pass --plate eA12345 --name 司机 \
    --driver-temp 36.5 --occupants 1 --occupant-temps 38.6 --origin 武汉 --disposition turned_back
check "the reasons are in Chinese" grep -q "来源地是高风险地区.*发热：38.6 °C" last.err
check "no English code in it" sh -c "! grep -q 'high-risk' last.err"
done_testing
