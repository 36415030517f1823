# pg-multihub.sh — two outpost-hub serve processes on one PostgreSQL store serve stations
# at once: four stations, two listing hub A first and two hub B first, add and sync
# concurrently; then A is killed with SIGKILL and its stations fail over to B. Every record
# of every station ends at the hub exactly once, field by field, and the district report
# counts what the stations count. A pg_dump of the store shows no visitor's name, ID number
# or phone, in text or as bytes. outpost-hub purge blanks a visitor past the retention in
# the export and keeps the count. Skips when PostgreSQL is not installed.
. tests/e2e/lib.sh
HUB_STORE=postgresql
. tests/helpers/sync-lib.sh
APID="" BPID=""
a_stop() { [ -n "$APID" ] && kill "$APID" 2>/dev/null; wait "$APID" 2>/dev/null; APID=""; }
b_stop() { [ -n "$BPID" ] && kill "$BPID" 2>/dev/null; wait "$BPID" 2>/dev/null; BPID=""; }
cleanup_hooks="$cleanup_hooks a_stop b_stop"
HS=$(hub_store_new hub)
PA=$(free_port)
PB=$(free_port)
serve() {	# serve NAME PORT: a hub process in the background, its pid in SERVEPID
	: >"$T/$1.out"
	"$HUB" serve --store "$HS" --passphrase-file "$T/hp" --listen "tcp://127.0.0.1:$2" \
	    --heartbeat-ms 1000 >"$T/$1.out" 2>>"$T/$1.err" &
	SERVEPID=$!
	wait_for 10 grep -q listening "$T/$1.out"
}
expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap \
    --endpoint "tcp://127.0.0.1:$PA,tcp://127.0.0.1:$PB"
check "hub process A serves" serve a "$PA"
APID=$SERVEPID
check "hub process B serves the same store" serve b "$PB"
BPID=$SERVEPID
for s in 1 2 3 4; do
	station_init "$T/s$s.db"
	hub_cmd "$HS" enroll --station "st$s" >"$T/tok$s" 2>&1
	expect_rc 0 "station $s enrolls" st_cmd "$T/s$s.db" enroll "$(tail -n 1 "$T/tok$s")"
done
# stations 3 and 4 list B first
for s in 3 4; do
	"$LBSQL" "$T/s$s.db" "$T/sp" sql "UPDATE sync_identity SET v = \
	    'tcp://127.0.0.1:$PB,tcp://127.0.0.1:$PA' WHERE k = 'endpoint'" >/dev/null
done
bad=0
for round in 1 2 3 4 5; do
	pids=""
	for s in 1 2 3 4; do
		( "$LBADD" "$T/s$s.db" "$T/sp" temp $((20 + s * round)) >/dev/null &&
		    st_cmd "$T/s$s.db" sync --quiet --timeout 30 >/dev/null 2>&1 ) &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || bad=1; done
done
ok $bad "five rounds of four stations syncing at once, each sync exit 0"
check "hub A served stations" grep -q "batch" "$T/a.err"
check "hub B served stations" grep -q "batch" "$T/b.err"
kill -9 "$APID"
wait "$APID" 2>/dev/null
APID=""
bad=0
for s in 1 2 3 4; do
	"$LBADD" "$T/s$s.db" "$T/sp" temp 15 >/dev/null
	st_cmd "$T/s$s.db" sync --quiet --timeout 2 >/dev/null 2>&1 || bad=1
done
ok $bad "with A killed, every station syncs through B"
for s in 1 2 3 4; do
	check "the hub holds every record of station $s exactly once" same_records "$T/s$s.db" "$HS" "st$s"
done
expect_rc 0 "hub report" hub_cmd "$HS" report
for s in 1 2 3 4; do
	n=$("$LBSQL" "$T/s$s.db" "$T/sp" sql "SELECT count(*) FROM records WHERE kind = 'temp'")
	check "the report counts station $s's $n temperature checks" \
	    grep -q "^ *st$s  *temp  *$n\$" "$T/last.out"
done
check "no conflicts at the hub" test "$(hub_sql "$HS" 'SELECT count(*) FROM conflicts')" = 0
check "the aggregates equal a full recount" "$PWD/$B/tests/helpers/hub-verify" "$HS" "$T/hp"

# what a database administrator's dump shows
"$LBADD" "$T/s1.db" "$T/sp" visitor 1 id_type=resident_id id_number=110101199003074514 \
    name=Zhang-Dumpling phone=13912345678 host=3-2-301 health_code=green reason=visit >/dev/null
expect_rc 0 "a visitor synced" st_cmd "$T/s1.db" sync --timeout 3
check "the hub holds it" same_records "$T/s1.db" "$HS" st1
check "the export shows the name" sh -c "'$HUB' export --store '$HS' --passphrase-file '$T/hp' \
    --format csv | grep -q Zhang-Dumpling"
"$PG_BIN/pg_dump" -d "$HS" >"$T/dump.sql"
check "pg_dump wrote the store" grep -q "outpost_hub.records" "$T/dump.sql"
check "… with what is clear in it, the station names" grep -q "st1" "$T/dump.sql"
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
for secret in Zhang-Dumpling 110101199003074514 13912345678; do
	check "the dump has no $secret" sh -c "! grep -q -e '$secret' -e '$(hex "$secret")' '$T/dump.sql'"
done

# retention at the hub: a visitor from 20 days ago, the district's retention set to 10
old=$(( ($(date +%s) - 20 * 86400) * 1000 ))
OUTPOST_NOW=$old "$LBADD" "$T/s2.db" "$T/sp" visitor 1 id_type=resident_id \
    id_number=110101199003070003 name=Old-Visitor phone=13900000000 host=1-1-101 \
    health_code=green reason=visit >/dev/null
expect_rc 0 "the old visitor synced" st_cmd "$T/s2.db" sync --timeout 3
expect_rc 0 "hub export before the purge" hub_cmd "$HS" export --format csv
check "… shows the old visitor's name" grep -q Old-Visitor "$T/last.out"
expect_rc 0 "retention set to 10 days" hub_cmd "$HS" settings set retention_days 10
expect_rc 0 "hub purge" hub_cmd "$HS" purge
expect_rc 0 "hub export" hub_cmd "$HS" export --format csv
check "the purged visitor's name is gone from the export" sh -c "! grep -q Old-Visitor '$T/last.out'"
check "… its ID number too" sh -c "! grep -q 110101199003070003 '$T/last.out'"
check "the recent visitor is still there" grep -q Zhang-Dumpling "$T/last.out"
expect_rc 0 "hub report" hub_cmd "$HS" report --station st2
check "the purged visitor is still counted" grep -q "^ *st2  *visitor  *1\$" "$T/last.out"
b_stop
done_testing
