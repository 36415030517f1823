# sync-lib.sh — (sourced, not a test) helpers for the sync shell tests (sourced after lib.sh): a free loopback
# port, a hub store and its server, a station logbook, and the set comparison of the
# records a station holds with those the hub holds.
# HUB_STORE=postgresql runs the hub on PostgreSQL instead of an SQLite file: a throwaway
# cluster (tests/helpers/pg-lib.sh), one database per store; the test skips if the server
# is not installed. hub_store_new, hub_store_exists and hub_sql hide the difference.
LBADD=${LBADD:-$PWD/$B/tests/helpers/sync-lbadd}
LBSQL=${LBSQL:-$PWD/$B/tests/helpers/lbsql}
PROXY=${PROXY:-$PWD/$B/tests/helpers/sync-proxy}
echo "hub secret phrase" >"$T/hp"
echo "station secret phrase" >"$T/sp"

HUB_STORE=${HUB_STORE:-sqlite}
if [ "$HUB_STORE" = postgresql ]; then
	. tests/helpers/pg-lib.sh
	pg_skip_unless_available
	pg_start || { echo "not ok - a throwaway PostgreSQL cluster starts"; exit 1; }
fi

# hub_store_new NAME: the address of a new (not yet initialized) hub store.
hub_store_new() {
	if [ "$HUB_STORE" = postgresql ]; then
		pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "$1" >/dev/null 2>&1 || return 1
		echo "postgresql:///$1?host=$PGDIR&user=outpost"
	else
		echo "$T/$1.db"
	fi
}
# hub_store_exists STORE: the store is there (a file, or the schema in its database).
hub_store_exists() {
	case "$1" in
	postgresql:*) [ "$(hub_sql "$1" "SELECT count(*) FROM schema_version")" = 1 ] ;;
	*) test -s "$1" ;;
	esac
}
# hub_sql STORE SQL: SQL run on the hub store itself (for tests that look behind it).
hub_sql() {
	case "$1" in
	postgresql:*) PGOPTIONS="-c search_path=outpost_hub" "$PG_BIN/psql" -X -q -A -t \
	    -v ON_ERROR_STOP=1 -d "$1" -c "$2" ;;
	*) "$LBSQL" "$1" "$T/hp" sql "$2" ;;
	esac
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# hub_cmd STORE ARGS...: outpost-hub with the store and its passphrase file.
hub_cmd() {
	st=$1; shift
	cmd=$1; shift
	"$HUB" "$cmd" --store "$st" --passphrase-file "$T/hp" "$@"
}

# hub_start STORE PORT [ENV=VALUE]: serves in the background; HUBPID is its pid.
hub_start() {
	: >"$T/serve.out"
	env ${3:-OUTPOST_UNUSED=1} "$HUB" serve --store "$1" --passphrase-file "$T/hp" \
	    --listen "tcp://127.0.0.1:$2" --heartbeat-ms 1000 >"$T/serve.out" 2>>"$T/serve.err" &
	HUBPID=$!
	wait_for 10 grep -q listening "$T/serve.out"
}
hub_stop() {
	if [ -n "$HUBPID" ]; then
		kill "$HUBPID" 2>/dev/null
		wait "$HUBPID" 2>/dev/null
		HUBPID=""
	fi
}

# station_init DB: a fresh logbook.
station_init() {
	"$OUTPOST" init --db "$1" --passphrase-file "$T/sp" --kdf test-cheap \
	    --station-kind gate --station "G" >/dev/null
}
st_cmd() {
	db=$1; shift
	cmd=$1; shift
	"$OUTPOST" "$cmd" --db "$db" --passphrase-file "$T/sp" "$@"
}

# same_records DB HUBSTORE STATION: the hub holds exactly the station's records, field
# by field (seq, kind, device time, body), each once (the hub's JSON Lines export, the
# bodies compared as JSON values).
same_records() {
	"$LBSQL" "$1" "$T/sp" sql "SELECT seq, kind, created_ms, body FROM records ORDER BY seq" |
	    python3 -c '
import json, sys
for line in sys.stdin:
    seq, kind, ms, body = line.rstrip("\n").split("\t", 3)
    print(json.dumps([int(seq), kind, int(ms), json.loads(body)], sort_keys=True, ensure_ascii=False))
' >"$T/station.rows" || return 1
	hub_cmd "$2" export --format jsonl --station "$3" | python3 -c '
import json, sys
for line in sys.stdin:
    x = json.loads(line)
    print(json.dumps([x["seq"], x["kind"], x["created_ms"], x["body"]], sort_keys=True, ensure_ascii=False))
' >"$T/hub.rows" || return 1
	if ! cmp -s "$T/station.rows" "$T/hub.rows"; then
		echo "# station $(wc -l <"$T/station.rows") rows, hub $(wc -l <"$T/hub.rows") rows"
		diff "$T/station.rows" "$T/hub.rows" | head -5 | sed 's/^/# /'
		return 1
	fi
	[ -s "$T/station.rows" ]
}
