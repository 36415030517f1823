# export-sheet.sh — a spreadsheet is a real client: outpost export and outpost-hub export
# write XLSX read back with openpyxl, every cell checked against the CSV export and the
# list (ID numbers, phones, plates, passes as text cells, local times as date cells, a
# header row, Chinese intact); the CSV keeps such codes as text; the hub's CSV has the
# station's columns, BOM and local ISO times; list KIND --format csv has one column per field.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
cd "$T"
export TZ=Asia/Shanghai OUTPOST_NOW=2026-03-01T08:00:00 LANGUAGE=en
# openpyxl is Debian's python3-openpyxl: the system python, whatever else is first in PATH
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
ID=110105194912310011		# a valid resident ID of 18 digits: a number to a spreadsheet
ST="$T/st.db"
HS="$T/hub.db"
station_init "$ST"
op() { st_cmd "$ST" "$@"; }
expect_rc 0 "a visitor with an all-digit ID and a +852 phone" op add visitor --id-type resident_id \
	--id-number "$ID" --phone +85291234567 --plate "粤B12345" --host 3-2-301 --health-code green --name "张三" --temp 36.5
expect_rc 0 "a resident with pass 007" op add resident --direction out --household 3-2-301 --pass-number 007 --name "李四"
expect_rc 0 "a fever" op add temp --temp 38.2 --person "王五"

# the station's files
expect_rc 0 "export xlsx" op export --format xlsx --out all.xlsx
check "the xlsx is private" [ "$(stat -c %a all.xlsx)" = "600" ]
expect_rc 0 "export csv" op export --format csv --out all.csv
op list --format json > list.json
cat > cells.py <<'PY'
# Every cell of the xlsx against the same cell of the CSV, and the typed ones against
# what a spreadsheet must keep.
import csv, datetime, json, sys
import openpyxl
xlsx, csvpath, listpath, pre = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ws = openpyxl.load_workbook(xlsx).active
rows = list(ws.iter_rows())
c = list(csv.reader(open(csvpath, encoding="utf-8-sig", newline="")))
assert open(csvpath, "rb").read(3) == b"\xef\xbb\xbf", "no BOM"
head = [x.value for x in rows[0]]
assert head == c[0], (head, c[0])
assert all(x.font.b for x in rows[0]), "the header is not bold"
assert len(rows) == len(c), (len(rows), len(c))
codes = {"id_number", "phone", "plate", "pass_number", "driver_id_number", "driver_phone", "station_id"}
times = {"created", "recheck_due", "received"}
for r, (xr, cr) in enumerate(zip(rows[1:], c[1:]), 2):
    assert len(xr) == len(cr), (r, len(xr), len(cr))
    for name, x, v in zip(head, xr, cr):
        if v.startswith("\t"):
            assert name in codes, (r, name, v)     # the CSV's text guard, codes only
            v = v[1:]
        if name in times and v:
            # local wall time, the CSV's ISO form without its offset
            assert isinstance(x.value, datetime.datetime), (r, name, x.value)
            assert x.value.strftime("%Y-%m-%dT%H:%M:%S") == v[:19], (r, name, x.value, v)
            continue
        if name in codes:
            assert x.value is None or x.data_type == "s", (r, name, x.data_type)
        if x.value is None:
            assert v == "", (r, name, v)
        elif isinstance(x.value, (int, float)) and not isinstance(x.value, bool):
            assert float(v) == float(x.value), (r, name, x.value, v)
        else:
            assert str(x.value) == v, (r, name, x.value, v)
# the codes a spreadsheet used to break, as text cells with every digit
cells = {(head[i], str(x.value)) for row in rows[1:] for i, x in enumerate(row) if x.value is not None}
for want in [("id_number", "110105194912310011"), ("phone", "+85291234567"), ("plate", "粤B12345"),
             ("pass_number", "007"), ("name", "张三")]:
    assert want in cells, want
# against the list: every field of every record
recs = {str(x["ref"]): x for x in json.load(open(listpath, encoding="utf-8"))} if listpath != "-" else {}
col = {n: i for i, n in enumerate(head)}
for row in c[1:]:
    rec = recs.get(row[col["ref"]])
    if rec is None:
        continue
    for k, v in rec["fields"].items():
        if k in times:
            continue    # the list shows them as "YYYY-MM-DD HH:MM:SS", checked above
        got = row[col[k]]
        got = got[1:] if got.startswith("\t") else got
        assert got == v, (k, got, v)
print("ok", len(rows) - 1, "rows", len(head), "columns")
PY
expect_rc 0 "every xlsx cell equals the CSV's and the list's, typed" $PY cells.py all.xlsx all.csv list.json 0
check "the CSV keeps the 18-digit ID as text (a leading TAB)" grep -q "$(printf '\t')$ID" all.csv
check "and the +852 phone" grep -q "$(printf '\t')+85291234567" all.csv
check "a plate is not a number: no TAB" grep -q ',粤B12345,' all.csv
check "times are local ISO" grep -q '2026-03-01T08:00:00+08:00' all.csv
check "a coded field has its label beside it" sh -c "head -1 all.csv | grep -q 'health_code,health_code_label'"
# LibreOffice Calc itself, where it is installed (it is not a build dependency): the
# CSV's number-like codes arrive as text with every digit
if command -v soffice >/dev/null 2>&1; then
	check "LibreOffice opens the CSV" sh -c "HOME='$T/lo' soffice --headless --convert-to xlsx \
	    --infilter=CSV:44,34,76,1 --outdir '$T/lo' all.csv >/dev/null 2>&1 && [ -f '$T/lo/all.xlsx' ]"
	check "and keeps the ID number and the phone as text" $PY -c "
import openpyxl; rows = list(openpyxl.load_workbook('$T/lo/all.xlsx').active.iter_rows())
h = [c.value for c in rows[0]]
cells = [(c.data_type, str(c.value).strip()) for r in rows[1:] for n, c in zip(h, r) if n in ('id_number', 'phone')]
assert ('s', '$ID') in cells and ('s', '+85291234567') in cells, cells
"
fi
expect_rc 0 "export xlsx in Chinese" op export --lang zh --format xlsx --out zh.xlsx temp
check "labels in Chinese, codes unchanged" $PY -c "
import openpyxl; ws = openpyxl.load_workbook('zh.xlsx').active; rows = list(ws.values)
h = rows[0]; r = dict(zip(h, rows[1]))
assert r['kind'] == 'temp' and r['kind_label'] != 'temp', r
"

# list KIND --format csv: one column per field, times local ISO
expect_rc 0 "list visitor --format csv" op list visitor --format csv
check "one column per field of the kind" sh -c "head -1 '$T/last.out' | grep -q 'id_number,id_type,id_type_label,name,phone,temp,plate'"
check "with local ISO times" grep -q '2026-03-01T08:00:00+08:00' "$T/last.out"
check "and codes kept text" grep -q "$(printf '\t')$ID" "$T/last.out"
check "a column per field, parsed" $PY -c "
import csv; r = list(csv.DictReader(open('$T/last.out', encoding='utf-8', newline='')))
assert len(r) == 1 and r[0]['name'] == '张三' and r[0]['plate'] == '粤B12345', r
"

# the hub: the same columns, BOM and times, with the station around them
PORT=$(free_port)
expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
expect_rc 0 "station enrolls" op enroll "$TOKEN"
expect_rc 0 "station syncs" op sync
hub_stop
expect_rc 0 "hub export xlsx" hub_cmd "$HS" export --format xlsx --out hub.xlsx
check "the hub's xlsx is private" [ "$(stat -c %a hub.xlsx)" = "600" ]
expect_rc 0 "hub export csv" hub_cmd "$HS" export --format csv --out hub.csv
check "the hub's CSV is private" [ "$(stat -c %a hub.csv)" = "600" ]
expect_rc 0 "every hub xlsx cell equals its CSV's, typed" $PY cells.py hub.xlsx hub.csv - 2
check "the hub's CSV has the station's columns" sh -c "head -1 hub.csv | sed 's/^\xef\xbb\xbf//' | cut -d, -f3- | grep -q \"^\$(head -1 all.csv | sed 's/^\xef\xbb\xbf//' | tr -d '\r'),received,clock_flag\""
check "and local ISO times, not epoch ms" grep -q '2026-03-01T08:00:00+08:00' hub.csv
check "and the station's values, Chinese intact" grep -q '张三' hub.csv
expect_rc 0 "hub export csv to standard output" hub_cmd "$HS" export --format csv
check "has the BOM too" sh -c "head -c 3 '$T/last.out' | od -An -tx1 | grep -q 'ef bb bf'"
expect_rc 1 "hub xlsx needs --out" hub_cmd "$HS" export --format xlsx
done_testing
