# pg-lib.sh — (sourced after lib.sh, not a test) a throwaway PostgreSQL cluster for the
# hub's tests: initdb and pg_ctl as an unprivileged user (nobody when the tests run as
# root), in a temporary directory that user owns, listening only on a Unix socket there
# (listen_addresses ''), stopped and removed when the test ends, even on failure; a
# watchdog stops it too if the test itself is killed.
#
#   pg_available         0 if the PostgreSQL server programs are installed
#   pg_start             starts the cluster; PGURL is the store URL for outpost-hub
#   pg_restart [fast|immediate]   stops and starts it again (same data)
#   pg_stop              stops and removes it (also run by lib.sh's cleanup)
#   pg_sql SQL           runs SQL through psql, unaligned rows, no header
#   pg_skip_unless_available   ends the test with a TAP skip if there is no server
PGDIR=""
PGURL=""
PG_BIN=""

# The server's programs: pg_config's bindir if initdb is there, else the newest
# /usr/lib/postgresql/N/bin (Debian's layout), else whatever initdb is on PATH.
pg_find_bin() {
	d=$(pg_config --bindir 2>/dev/null)
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PG_BIN=$d; return 0; fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PG_BIN=$d; return 0; fi
	done
	d=$(command -v initdb 2>/dev/null) || return 1
	PG_BIN=$(dirname "$d")
	[ -x "$PG_BIN/pg_ctl" ]
}
pg_available() { [ -n "$PG_BIN" ] || pg_find_bin; }

pg_skip_unless_available() {
	if ! pg_available; then
		echo "1..0 # SKIP PostgreSQL server not installed (apt-get install postgresql)"
		exit 0
	fi
}

# pg_as CMD...: runs CMD as the cluster's owner (nobody if we are root, else ourselves).
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$PG_UID" --regid="$PG_GID" --clear-groups -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	pg_available || return 1
	PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/outpost-pg.XXXXXX") || return 1
	if [ "$(id -u)" -eq 0 ]; then
		PG_UID=$(id -u nobody) || return 1
		PG_GID=$(id -g nobody) || return 1
		chown "$PG_UID:$PG_GID" "$PGDIR"
	fi
	chmod 700 "$PGDIR"
	# Only the owner (and root) can reach the socket: trust is safe in a 0700 directory.
	pg_as "$PG_BIN/initdb" -D "$PGDIR/data" -U outpost --auth=trust -E UTF8 \
	    --locale=C.UTF-8 --no-sync >"$PGDIR/initdb.log" 2>&1 ||
	    { sed 's/^/# initdb: /' "$PGDIR/initdb.log" | tail -5; return 1; }
	cat >>"$PGDIR/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PGDIR'
unix_socket_permissions = 0700
max_connections = 40
shared_buffers = 16MB
fsync = ${PG_FSYNC:-off}
full_page_writes = ${PG_FSYNC:-off}
log_min_messages = warning
log_line_prefix = '%m [%p] '
EOF
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start \
	    >/dev/null 2>&1 || { sed 's/^/# postgres: /' "$PGDIR/server.log" | tail -5; return 1; }
	pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost outpost >/dev/null 2>&1 || return 1
	PGURL="postgresql:///outpost?host=$PGDIR&user=outpost"
	# If this test is killed outright, its EXIT trap never runs: a watchdog outside its
	# process group stops the cluster once the test's shell is gone.
	# (pg_ctl refuses to run as root: as the owner, and the postmaster's pid as a last resort)
	as=""
	[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=$PG_UID --regid=$PG_GID --clear-groups --"
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	setsid sh -c "while kill -0 $$ 2>/dev/null; do sleep 1; done
	    $as '$PG_BIN/pg_ctl' -D '$PGDIR/data' -m immediate -w stop >/dev/null 2>&1
	    kill -0 $pm 2>/dev/null && kill -QUIT $pm 2>/dev/null
	    rm -rf '$PGDIR'" </dev/null >/dev/null 2>&1 &
	case " $cleanup_hooks " in *" pg_stop "*) ;; *) cleanup_hooks="$cleanup_hooks pg_stop" ;; esac
	return 0
}

pg_restart() {
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1
	pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start >/dev/null 2>&1
}

pg_stop() {
	[ -n "$PGDIR" ] || return 0
	if [ -f "$PGDIR/data/postmaster.pid" ]; then
		pg_as "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$PGDIR"
	PGDIR=""
}

pg_sql() {
	"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGDIR" -U outpost -d outpost -c "$1"
}
