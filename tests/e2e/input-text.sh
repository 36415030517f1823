# input-text.sh — what may be typed, end to end (issue 11 items 1–3): invalid UTF-8,
# terminal escapes and bidi overrides refused in every text field at input, station and hub;
# what slipped into storage anyway printed escaped, never raw; numbers finite, in range and
# no finer than the field keeps; dates on the calendar.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cd "$T"
export TZ=Asia/Shanghai OUTPOST_NOW=2026-03-01T08:00:00
DB=st.db
op() { "$OUTPOST" "$@" --db "$DB" --passphrase-file sp; }
ESC=$(printf '\033')
TITLE=$(printf '\033]0;pwned\007')
CLEAR=$(printf '\033[2J')
RLO=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')	# U+2066 LEFT-TO-RIGHT ISOLATE
SURR=$(printf 'a\355\240\200b')	# the issue's ED A0 80: a surrogate

expect_rc 4 "init refuses a station name with a terminal escape" "$OUTPOST" init --db "$DB" \
    --passphrase-file sp --kdf test-cheap --station-kind gate --station "东门$TITLE"
check "… says why" grep -q "control character" last.err
check "… and made no logbook" test ! -e "$DB"
check "init a gate logbook" station_init "$DB"
expect_rc 0 "sign in" op shift start "李警官"

# item 1: the issue's bytes, and every other malformed class, refused with a message
for bad in "$SURR" "$(printf '\355\277\277')" "$(printf '\364\220\200\200')" \
    "$(printf '\340\200\200')" "$(printf '\360\200\200\200')" "$(printf 'ab\344\270')"; do
	expect_rc 4 "add temp --person refuses malformed UTF-8 ($(printf %s "$bad" | od -An -tx1 | tr -d ' '))" \
	    op add temp --temp 36.5 --person "$bad"
done
check "the message says UTF-8 and names the field" grep -q "person: .*UTF-8" last.err
expect_rc 4 "an operator name with bad UTF-8 is refused" op shift start "$SURR"
expect_rc 4 "a setting with bad UTF-8 is refused" op settings set high_risk_origins "$SURR"

# item 2: controls and bidi overrides in every text field at input
expect_rc 4 "a record field with ESC ]0; is refused" op add temp --temp 36.5 --person "x$TITLE"
check "… naming the field" grep -q "person: .*control character" last.err
check "… never echoing it" sh -c "! grep -q pwned last.err"
expect_rc 4 "a record field with a bidi override is refused" op add visitor --id-number \
    11010519491231002X --phone 13812345678 --host 3-2-301 --health-code green --name "张$RLO三"
check "… says text direction" grep -q "text-direction" last.err
expect_rc 4 "an isolate (U+2066) too" op add temp --temp 36.5 --person "a${LRI}b"
expect_rc 4 "settings set name with ESC [2J is refused" op settings set name "门$CLEAR"
expect_rc 4 "settings set hub with a bidi override is refused" op settings set hub "tcp://h$RLO"
expect_rc 4 "an operator name with ESC is refused" op shift start "李$TITLE"
printf 'type,value,reason,until\nplate,粤B12345,stolen%s,\n' "$TITLE" > wl-esc.csv
expect_rc 4 "a watchlist reason with ESC is refused" op watchlist import wl-esc.csv
printf 'type,value,reason,until\nplate,粤B12345,%s,\n' "$SURR" > wl-utf8.csv
expect_rc 4 "a watchlist reason with ED A0 80 is refused" op watchlist import wl-utf8.csv
check "… naming the line" grep -q "line 2" last.err
expect_rc 4 "a handover note with ESC is refused" op shift end --note "ok$CLEAR"
NOTE=$(printf 'line one\nline two')
expect_rc 0 "a handover note may run over lines" op shift end --note "$NOTE"
expect_rc 0 "list the handover" op list handover
check "its newline is shown escaped, on one line" grep -q 'line one\\nline two' last.out
expect_rc 0 "sign in again" op shift start "李警官"

expect_rc 0 "a record to correct" op add temp --temp 36.5 --person 王五
R=$(cat last.out)
expect_rc 4 "a correction reason with ESC is refused" op correct "$R" --temp 36.6 --reason "typo$CLEAR"
expect_rc 4 "a deletion reason with ED A0 80 is refused" op correct "$R" --delete --reason "$SURR"
check "… naming the reason" grep -q "reason: .*UTF-8" last.err
check "the record is unchanged and not deleted" sh -c "'$OUTPOST' list $R --history --db $DB --passphrase-file sp --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (len(d) == 1 and not d[0][\"deleted\"]))'"

# What reached storage anyway (an older outpost, a tool) is printed escaped, never raw.
"$LBSQL" "$DB" sp sql "UPDATE settings SET value = '门' || char(27) || ']0;pwned' || char(7) \
    || char(8238) WHERE key = 'name'" || echo "not ok - lbsql failed"
expect_rc 0 "settings get name" op settings get name
check "prints it escaped" grep -qF '门\u{001B}]0;pwned\u{0007}\u{202E}' last.out
check "with no raw ESC or bidi override" sh -c "! grep -q '$ESC' last.out && ! grep -q '$RLO' last.out"
expect_rc 0 "settings get (all)" op settings get
check "escaped there too" sh -c "grep -qF '\\u{001B}' last.out && ! grep -q '$ESC' last.out"
expect_rc 0 "settings get --format json" op settings get --format json
check "JSON escapes it as \\u001b and \\u202e" sh -c "grep -qF '\\u001b' last.out && grep -qF '\\u202e' last.out && ! grep -q '$ESC' last.out"
"$LBSQL" "$DB" sp sql "INSERT INTO watchlist(type, value, reason, until) VALUES ('plate', \
    '粤B12345', 'stolen' || char(27) || '[2J' || char(8238), '')" || echo "not ok - lbsql failed"
expect_rc 0 "watchlist list" op watchlist list
check "prints the reason escaped" sh -c "grep -qF 'stolen\\u{001B}[2J\\u{202E}' last.out && ! grep -q '$ESC' last.out"
expect_rc 0 "a plate on that watchlist is added" op add visitor --id-number 11010519491231002X \
    --phone 13812345678 --host 3-2-301 --health-code green --name 张三 --plate "粤B12345" \
    --temp 36.5
check "add's warning is escaped" sh -c "grep -qF '\\u{001B}[2J' last.err && ! grep -q '$ESC' last.err"
V=$(cat last.out)
expect_rc 0 "list the visitor" op list "$V"
check "list prints the alert escaped" sh -c "grep -qF '\\u{001B}[2J' last.out && ! grep -q '$ESC' last.out"

# item 3: numbers
expect_rc 0 "register a bin" op add bin --code B1 --place "3号楼"
expect_rc 4 "--weight-kg nan is refused" op add collection --bin B1 --bags 1 --weight-kg nan
check "… saying the range" grep -q "weight.kg: 'nan' is not a number.*0.0 to 100000.0" last.err
expect_rc 4 "--weight-kg inf is refused" op add collection --bin B1 --bags 1 --weight-kg inf
expect_rc 4 "--weight-kg 0.0000001 is refused, not rounded to 0" op add collection --bin B1 \
    --bags 1 --weight-kg 0.0000001
check "… saying the precision kept" grep -q "at most 1 after the point" last.err
expect_rc 4 "--bags 2147483648 says the range" op add collection --bin B1 --bags 2147483648
check "… out of range: use 0 to 1000000" grep -q "out of range: use 0 to 1000000" last.err
expect_rc 4 "--bags 1e3 is not a whole number" op add collection --bin B1 --bags 1e3
expect_rc 0 "--weight-kg 3.5 is kept" op add collection --bin B1 --bags 2 --weight-kg 3.5
C=$(cat last.out)
check "as 3.5" sh -c "'$OUTPOST' list $C --db $DB --passphrase-file sp --format json | grep -q '\"weight_kg\":\"3.5\"'"
expect_rc 4 "settings set recheck_minutes 2147483648 is refused" op settings set recheck_minutes 2147483648
check "… with the range" grep -q "from 0 to 1440" last.err

expect_rc 4 "list --limit 2147483648 says the range" op list --limit 2147483648
check "… use 1 to 1000000" grep -q "limit: 2147483648 is out of range: use 1 to 1000000" last.err
expect_rc 4 "search --limit abc is not a whole number" op search 138 --limit abc
expect_rc 0 "list --limit 2" op list --limit 2
check "… gives two" test "$(wc -l < last.out)" -eq 2

# item 3: dates on the calendar
expect_rc 4 "report --date 2026-02-30 is refused" op report --date 2026-02-30
check "… saying February has 28 days" grep -q "that month has 28 days" last.err
expect_rc 0 "report --date 2026-02-28" op report --date 2026-02-28
expect_rc 4 "list --since 2026-02-30 is refused" op list --since 2026-02-30
expect_rc 4 "list --until 2026-04-31 is refused" op list --until 2026-04-31
printf 'type,value,reason,until\nplate,粤B54321,stolen,2026-02-30\n' > wl-date.csv
expect_rc 4 "a watchlist until of 2026-02-30 is refused" op watchlist import wl-date.csv
check "… saying why" grep -q "until: 2026-02-30 is not on the calendar" last.err
printf 'type,value,reason,until\nid,123,wanted,\n' > wl-id.csv
expect_rc 4 "a watchlist ID value 123 is refused" op watchlist import wl-id.csv
check "… saying what an ID is" grep -q "line 2: value:" last.err
printf 'type,value,reason,until\nid,11010519491231002X,wanted,2026-12-31\nid,E12345678,passport,\n' > wl-ok.csv
expect_rc 0 "valid IDs and a real date are imported" op watchlist import wl-ok.csv

# the hub: station names, settings and watchlist checked once for every station
HS=hub.db
expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint tcp://127.0.0.1:1
expect_rc 4 "hub enroll refuses a station name with ESC" hub_cmd "$HS" enroll --station "g$TITLE"
expect_rc 4 "hub enroll refuses a bidi override" hub_cmd "$HS" enroll --station "g${RLO}1"
expect_rc 4 "hub settings set refuses ESC" hub_cmd "$HS" settings set name "门$CLEAR"
expect_rc 4 "hub settings set refuses bad UTF-8" hub_cmd "$HS" settings set name "$SURR"
printf 'type,value,reason,until\nplate,京A12345,%s,\n' "$SURR" > hwl.csv
expect_rc 4 "hub watchlist import refuses ED A0 80 in a reason" hub_cmd "$HS" watchlist import hwl.csv
check "… naming the line and the field" grep -q "hwl.csv line 2: reason: .*UTF-8" last.err
printf 'type,value,reason,until\nplate,京A12345,stolen,2026-02-30\n' > hwl2.csv
expect_rc 4 "hub watchlist import refuses 2026-02-30" hub_cmd "$HS" watchlist import hwl2.csv
expect_rc 0 "hub enroll gate1" hub_cmd "$HS" enroll --station gate1
# what reached the hub store anyway is printed escaped
"$LBSQL" "$HS" hp sql "UPDATE stations SET name = 'gate' || char(27) || '[2J' WHERE name = 'gate1'; \
    INSERT INTO items(kind, key, value, extra, ver) VALUES (1, 'name', 'x' || char(27) || ']0;t' \
    || char(7), '', 1), (2, 'plate:京A1' || char(8238), 'r' || char(27) || '[2J', '', 1)" \
    || echo "not ok - lbsql failed"
expect_rc 0 "hub stations" hub_cmd "$HS" stations
check "prints the name escaped" sh -c "grep -qF 'gate\\u{001B}[2J' last.out && ! grep -q '$ESC' last.out"
expect_rc 0 "hub stations --format csv" hub_cmd "$HS" stations --format csv
check "escaped in CSV too" sh -c "grep -qF 'gate\\u{001B}[2J' last.out && ! grep -q '$ESC' last.out"
expect_rc 0 "hub settings list" hub_cmd "$HS" settings list
check "prints the value escaped" sh -c "grep -qF 'x\\u{001B}]0;t\\u{0007}' last.out && ! grep -q '$ESC' last.out"
expect_rc 0 "hub watchlist list" hub_cmd "$HS" watchlist list
check "prints the entry escaped" sh -c "grep -qF '京A1\\u{202E},r\\u{001B}[2J' last.out && ! grep -q '$ESC' last.out && ! grep -q '$RLO' last.out"
expect_rc 0 "hub top --batch" hub_cmd "$HS" top --batch
check "top prints the station escaped" sh -c "grep -qF 'gate\\u{001B}[2J' last.out && ! grep -q '$ESC' last.out"
done_testing
