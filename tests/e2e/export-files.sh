# export-files.sh — every file we write is written whole and private (base/file.c): an
# export that fails (the file size limit stands in for a full disk) or is killed half-way
# leaves no DEST; a killed backup leaves no non-logbook at DEST; an existing DEST is
# refused without --force and kept as it was; exports, backups, bundles and hub exports
# are mode 0600.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop"
cd "$T"
export TZ=Asia/Shanghai OUTPOST_NOW=2026-03-01T08:00:00 LANGUAGE=en
umask 022	# what a careless shell has: our files must be 0600 anyway
ST="$T/st.db"
station_init "$ST"
op() { st_cmd "$ST" "$@"; }
# limited BYTES SIGXFSZ COMMAND...: runs COMMAND with writes past BYTES refused; with
# SIGXFSZ "ignore" the write fails with EFBIG, with "default" the process is killed.
limited() {
	python3 -c '
import os, resource, signal, sys
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
# python ignores SIGXFSZ itself: say what the command gets
signal.signal(signal.SIGXFSZ, signal.SIG_IGN if sys.argv[2] == "ignore" else signal.SIG_DFL)
os.execv(sys.argv[3], sys.argv[3:])
' "$@"
}
leftovers() { ls -A | grep -c "^$1\.......\.part\$" ; }
"$LBADD" "$ST" "$T/sp" temp 3000 person=王五 >/dev/null
check "3000 records to export" [ "$(op list temp --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 3000 ]

for fmt in csv xlsx jsonl; do
	expect_rc 0 "export $fmt" op export --format $fmt --out "all.$fmt"
	check "the $fmt export is 0600" [ "$(stat -c %a "all.$fmt")" = "600" ]
	check "the $fmt export is bigger than the limit below" [ "$(stat -c %s "all.$fmt")" -gt 65536 ]
	cp "all.$fmt" "keep.$fmt"
	expect_rc 1 "an existing $fmt DEST is refused" op export --format $fmt --out "all.$fmt"
	check "it says --force" grep -q -- "--force" "$T/last.err"
	check "and the file is as it was" cmp -s "all.$fmt" "keep.$fmt"
	expect_rc 5 "a $fmt export past the size limit fails" limited 65536 ignore "$OUTPOST" export \
	    --db "$ST" --passphrase-file "$T/sp" --format $fmt --out "full.$fmt"
	check "it says what happened" grep -q "full.$fmt\|spreadsheet\|export" "$T/last.err"
	check "no partial $fmt DEST" [ ! -e "full.$fmt" ]
	check "no temporary left" [ "$(leftovers "full.$fmt")" -eq 0 ]
	expect_rc 153 "a $fmt export killed half-way (SIGXFSZ)" limited 65536 default "$OUTPOST" export \
	    --db "$ST" --passphrase-file "$T/sp" --format $fmt --out "killed.$fmt"
	check "leaves no $fmt DEST" [ ! -e "killed.$fmt" ]
	if [ $fmt != xlsx ]; then	# (libxlsxwriter makes its file only at the end)
		check "its temporary is in sight, named after it" [ "$(leftovers "killed.$fmt")" -eq 1 ]
		check "and private" [ "$(stat -c %a killed.$fmt.*.part)" = "600" ]
	fi
	expect_rc 5 "a failed --force export" limited 65536 ignore "$OUTPOST" export \
	    --db "$ST" --passphrase-file "$T/sp" --format $fmt --out "all.$fmt" --force
	check "keeps the old $fmt file whole" cmp -s "all.$fmt" "keep.$fmt"
	expect_rc 0 "--force replaces it" op export --format $fmt --out "all.$fmt" --force temp
	check "with the new content" sh -c "! cmp -s 'all.$fmt' 'keep.$fmt'"
	check "still 0600" [ "$(stat -c %a "all.$fmt")" = "600" ]
done
expect_rc 1 "a directory as DEST is refused" op export --format csv --out "$T"
check "it says so" grep -q "is a directory" "$T/last.err"

# backup: a whole logbook at DEST or nothing
expect_rc 153 "a backup killed half-way (SIGXFSZ)" limited 65536 default "$OUTPOST" backup \
    --db "$ST" --passphrase-file "$T/sp" b.db
check "leaves nothing at DEST" [ ! -e b.db ]
before=$(leftovers b.db)
expect_rc 5 "a backup past the size limit fails" limited 65536 ignore "$OUTPOST" backup \
    --db "$ST" --passphrase-file "$T/sp" b.db
check "and leaves nothing at DEST" [ ! -e b.db ]
check "nor a new temporary" [ "$(leftovers b.db)" -eq "$before" ]
expect_rc 0 "backup" op backup b.db
check "the backup is 0600" [ "$(stat -c %a b.db)" = "600" ]
expect_rc 0 "the backup is a whole logbook" "$OUTPOST" check --db b.db --passphrase-file "$T/sp"
expect_rc 1 "an existing backup is refused" op backup b.db
expect_rc 0 "--force replaces it" op backup b.db --force
expect_rc 0 "with a whole logbook" "$OUTPOST" check --db b.db --passphrase-file "$T/sp"

# bundle and hub export
HS="$T/hub.db"
PORT=$(free_port)
expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
expect_rc 0 "station enrolls" op enroll "$TOKEN"
hub_stop
expect_rc 0 "bundle" op bundle --out u.bundle
check "the bundle is 0600" [ "$(stat -c %a u.bundle)" = "600" ]
cp u.bundle keep.bundle
expect_rc 1 "an existing bundle is refused" op bundle --out u.bundle
check "and kept" cmp -s u.bundle keep.bundle
expect_rc 0 "--force replaces it" op bundle --out u.bundle --force
expect_rc 0 "the hub imports it" hub_cmd "$HS" import u.bundle
for fmt in csv xlsx jsonl; do
	expect_rc 0 "hub export $fmt" hub_cmd "$HS" export --format $fmt --out "hub.$fmt"
	check "the hub's $fmt export is 0600" [ "$(stat -c %a "hub.$fmt")" = "600" ]
	expect_rc 1 "an existing hub $fmt DEST is refused" hub_cmd "$HS" export --format $fmt --out "hub.$fmt"
	expect_rc 5 "a hub $fmt export past the size limit fails" limited 65536 ignore "$HUB" export \
	    --store "$HS" --passphrase-file "$T/hp" --format $fmt --out "hubfull.$fmt"
	check "no partial hub $fmt DEST" [ ! -e "hubfull.$fmt" ]
	check "no temporary left" [ "$(leftovers "hubfull.$fmt")" -eq 0 ]
done
done_testing
