# pg-hub-down.sh — the hub runs, its PostgreSQL store does not (stopped, then started
# again): a station's sync is told the hub is temporarily unavailable (exit 5, "will
# retry"), never that it was refused (a refusal stops a station for good); the hub keeps
# serving and, once PostgreSQL is back, the same station syncs everything exactly once.
HUB_STORE=postgresql
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
cleanup_hooks="hub_stop $cleanup_hooks"
HS=$(hub_store_new hub)
ST="$T/st.db"
PORT=$(free_port)
chmod 600 "$T/hp" "$T/sp"
pg_halt() { pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1; }
pg_resume() {
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start \
	    >/dev/null 2>&1
}

expect_rc 0 "hub init on PostgreSQL" hub_cmd "$HS" init --kdf test-cheap \
    --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" st_cmd "$ST" enroll "$TOKEN"
check "20 records to push" sh -c "'$LBADD' '$ST' '$T/sp' temp 20 >/dev/null"
expect_rc 0 "a first sync" st_cmd "$ST" sync --quiet

check "PostgreSQL stops" pg_halt
check "more records" sh -c "'$LBADD' '$ST' '$T/sp' temp 30 >/dev/null"
expect_rc 5 "sync with the store down: an I/O failure (exit 5), not a refusal (exit 2)" \
    st_cmd "$ST" sync --quiet --timeout 30
check "the station is told the hub is temporarily unavailable" \
    grep -q "hub temporarily unavailable, will retry" "$T/last.err"
check "… not that it was refused" sh -c "! grep -qi 'refused' '$T/last.err'"
sed 's/^/#   /' "$T/last.err"
check "the hub said its store failed" grep -q "the hub store failed" "$T/serve.err"
check "the hub is still serving" test -e "/proc/$HUBPID"

check "PostgreSQL starts again" pg_resume
# the hub probes its store about once a second: a sync may still be told "unavailable"
sync_ok() { st_cmd "$ST" sync --quiet --timeout 30 >/dev/null 2>"$T/sync.err"; }
check "the same station syncs once the store is back" wait_for 60 sync_ok
check "the hub said its store answers again" grep -q "the hub store answers again" \
    "$T/serve.err"
check "every record at the hub exactly once, equal field by field" same_records "$ST" "$HS" \
    gate1
hub_stop
done_testing
