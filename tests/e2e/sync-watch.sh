# sync-watch.sh — `outpost sync --watch`, the unattended sync of a station: unlocked by a
# sync key file (its own key slot, no typed passphrase), it pushes records as the CLI
# writes them, backs off while the hub is stopped, notices it back within its ceiling, and
# the records created meanwhile reach the hub exactly once with nobody touching the
# station; the CLI is never locked out meanwhile; SIGTERM stops it with exit 0.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
WPID=""
watch_stop() { [ -n "$WPID" ] && kill "$WPID" 2>/dev/null; }
cleanup_hooks="hub_stop watch_stop"
HS="$T/hub.db"
ST="$T/st.db"
PORT=$(free_port)

expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station gate1
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
station_init "$ST"
expect_rc 0 "station enrolls" st_cmd "$ST" enroll "$TOKEN"

# the sync key: random, in a file only its owner reads, in a slot of its own
(umask 077; head -c 32 /dev/urandom | base64 >"$T/sync.key")
expect_rc 0 "a sync key slot is added" st_cmd "$ST" passwd add --label sync \
    --new-passphrase-file "$T/sync.key" --kdf test-cheap
expect_rc 0 "the sync key opens the logbook" "$OUTPOST" check --db "$ST" --passphrase-file "$T/sync.key"

op() { "$OUTPOST" "$@" --db "$ST" --passphrase-file "$T/sp"; }
hub_count() { "$LBSQL" "$HS" "$T/hp" sql 'SELECT count(*) FROM records'; }
hub_has() { [ "$(hub_count)" = "$1" ]; }

"$OUTPOST" sync --watch --db "$ST" --passphrase-file "$T/sync.key" --timeout 1 \
    --retry-max 2 --interval 3600 >"$T/watch.out" 2>"$T/watch.err" </dev/null &
WPID=$!
check "watch starts" wait_for 10 grep -q "watching" "$T/watch.out"
for t in 36.4 36.5 36.6; do
	expect_rc 0 "add temp $t while watching" op add temp --temp "$t"
done
check "records reach the hub as they are written" wait_for 20 hub_has 3
check "… equal field by field" same_records "$ST" "$HS" gate1

term_wait "$HUBPID"
rc=$?
HUBPID=""
ok $rc "SIGTERM stops the hub with exit 0 (exit $rc)"
for t in 36.7 36.8 36.9 37.0; do
	expect_rc 0 "add temp $t with the hub down (the logbook is not locked)" op add temp --temp "$t"
done
expect_rc 0 "list works while watch backs off" op list
check "… and shows all 7" test "$(grep -c '36\.[4-9]\|37\.0' "$T/last.out")" -eq 7
check "watch says the hub is unreachable and backs off" wait_for 20 grep -q "trying again" "$T/watch.err"
check "watch is still running" kill -0 "$WPID"
check "the hub has only the first 3" hub_has 3

check "the hub serves again" hub_start "$HS" "$PORT"
check "the 4 records written meanwhile reach the hub by themselves" wait_for 30 hub_has 7
check "watch noticed the hub back" wait_for 10 grep -q "reachable again" "$T/watch.err"
check "the hub holds every record exactly once, equal field by field" same_records "$ST" "$HS" gate1
check "no conflicts at the hub" sh -c "[ \"\$('$LBSQL' '$HS' '$T/hp' sql 'SELECT count(*) FROM conflicts')\" = 0 ]"

# waiting costs nothing: the watch sleeps between looks (CPU time over its lifetime, from
# /proc: a loop that spun would take most of a core)
cpu_share() {
	awk -v hz="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" \
	    '{ print int(100 * ($14 + $15) / hz / (up - $22 / hz)) }' "/proc/$WPID/stat"
}
share=$(cpu_share)
echo "# the watch used ${share}% of a CPU over its life"
check "the watch sleeps while idle (${share}% of a CPU, under 5%)" test "$share" -lt 5
term_wait "$WPID"
rc=$?
WPID=""
ok $rc "SIGTERM stops watch with exit 0 (exit $rc)"
check "… saying so" grep -q "sync: stopped" "$T/watch.out"
expect_rc 0 "a plain sync afterwards is a success" st_cmd "$ST" sync
check "… and up to date" grep -q "up to date" "$T/last.out"

# a logbook file replaced under the watch (rekey writes a new file): it stops with exit 5
# for its service manager to start it again on the new file
"$OUTPOST" sync --watch --db "$ST" --passphrase-file "$T/sync.key" --timeout 1 \
    >"$T/watch2.out" 2>"$T/watch2.err" </dev/null &
WPID=$!
check "watch runs again" wait_for 10 grep -q "watching" "$T/watch2.out"
expect_rc 0 "rekey while it watches" st_cmd "$ST" rekey
# exited: gone, or a zombie until the shell reaps it
exited() { [ ! -e "/proc/$WPID" ] || grep -q '^[0-9]* (outpost) Z' "/proc/$WPID/stat"; }
wait_for 60 exited || kill -KILL "$WPID"
wait "$WPID"
rc=$?
WPID=""
check "… it stops with exit 5 ($rc)" test "$rc" -eq 5
check "… saying the file was replaced" grep -q "was replaced" "$T/watch2.err"
expect_rc 0 "the sync key still opens the rekeyed logbook (a restart picks it up)" \
    "$OUTPOST" check --db "$ST" --passphrase-file "$T/sync.key"

# the sync key's slot withdrawn: unattended access ends, the operators' passphrase stays
expect_rc 0 "the sync key's slot is removed" st_cmd "$ST" passwd remove --old-passphrase-file "$T/sync.key"
expect_rc 2 "the sync key opens nothing any more" "$OUTPOST" sync --watch --db "$ST" --passphrase-file "$T/sync.key"
expect_rc 0 "the operators' passphrase still opens it" st_cmd "$ST" check

# usage: the ceiling is at most 60 s
expect_rc 1 "--retry-max over 60 s is refused" st_cmd "$ST" sync --watch --retry-max 61
expect_rc 1 "--timeout 0 is refused" st_cmd "$ST" sync --timeout 0
expect_rc 1 "--retry-max without --watch is refused" st_cmd "$ST" sync --retry-max 5
expect_rc 1 "--interval without --watch is refused" st_cmd "$ST" sync --interval 5
sed 's/^/# watch: /' "$T/watch.out" "$T/watch.err"
hub_stop
done_testing
