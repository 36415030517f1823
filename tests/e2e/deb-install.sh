# deb-install.sh — the Debian packages, built, installed, upgraded and removed for real:
# builds outpost and outpost-hub from a version of main before packaging existed
# (OUTPOST_UPGRADE_FROM, a commit; today's debian/ laid over it) and from this tree,
# installs the old ones with dpkg -i, writes records and syncs them to a hub, installs the
# new ones over them and reads everything back (the schema migrates on first open), runs
# the installed programs (--version, Chinese --help, init/add/list), checks lintian and
# systemd-analyze verify, and purges both. Skipped, with a message, without
# dpkg-buildpackage, without root, or when outpost is already installed on this machine.
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
OLD=${OUTPOST_UPGRADE_FROM:-cc7841e}
skip() {
	echo "ok 1 # SKIP $1"
	echo "1..1"
	exit 0
}
command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)"
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
# one such test at a time on a machine (worktrees side by side share its dpkg database)
exec 9>"${TMPDIR:-/tmp}/outpost-deb-install.lock"
flock -w 900 9 || skip "another deb-install test kept the machine's packages for 15 minutes"
for p in outpost outpost-hub; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' &&
	    skip "$p is installed on this machine already; not replacing it"
done
INSTALLED=""
purge_all() {
	[ -n "$INSTALLED" ] && dpkg --purge outpost outpost-hub >/dev/null 2>&1
	[ -n "$HUBPID" ] && kill "$HUBPID" 2>/dev/null
}
cleanup_hooks="purge_all"
top=$PWD
export DEB_BUILD_OPTIONS=nocheck	# the unit tests run in make test anyway

# the old version: main as it was, with today's packaging (minus the units it lacked)
have_old=0
if git rev-parse --verify -q "$OLD^{commit}" >/dev/null; then
	have_old=1
	mkdir "$T/old"
	git archive "$OLD" | tar -xf - -C "$T/old"
	cp -r debian "$T/old/"
	sed -i '/systemd/d' "$T/old/debian/outpost.install" "$T/old/debian/outpost-hub.install"
	sed -i 's/^\tdh_installsystemd -poutpost-hub outpost-hub.service$/\tdh_installsystemd/' \
	    "$T/old/debian/rules"
	{ printf 'outpost (0.1~pre) unstable; urgency=medium\n\n  * main before packaging.\n\n'
	  printf ' -- Outpost maintainers <outpost@example.org>  Tue, 01 Dec 2026 08:00:00 +0000\n\n'
	} >"$T/old/debian/changelog"
	check "the old version builds into packages" sh -c "scripts/deb.sh '$T/old' '$T/debs-old' >'$T/build-old.log' 2>&1 || { tail -20 '$T/build-old.log' | sed 's/^/# /'; exit 1; }"
else
	echo "# $OLD is not in this repository's history: no upgrade from it"
fi
git status --porcelain --ignored >"$T/status.before" 2>/dev/null
check "dpkg-buildpackage builds this tree (make deb's script)" sh -c "scripts/deb.sh . '$T/debs' >'$T/build.log' 2>&1 || { tail -20 '$T/build.log' | sed 's/^/# /'; exit 1; }"
NEW_ST=$(ls "$T"/debs/outpost_*.deb 2>/dev/null)
NEW_HUB=$(ls "$T"/debs/outpost-hub_*.deb 2>/dev/null)
check "… into outpost and outpost-hub" test -f "$NEW_ST" -a -f "$NEW_HUB"
git status --porcelain --ignored >"$T/status.after" 2>/dev/null
check "… and the working tree is left as it was" sh -c "cmp -s '$T/status.before' '$T/status.after' && [ ! -e debian/tmp ] && [ ! -e debian/files ]"
check "outpost-hub depends on what it links against (shlibs)" sh -c "dpkg-deb -f '$NEW_HUB' Depends | grep -q libsodium"
dpkg-deb -c "$NEW_ST" >"$T/st.files" 2>&1
dpkg-deb -c "$NEW_HUB" >"$T/hub.files" 2>&1
check "outpost ships the Chinese catalog" grep -q 'zh_CN/LC_MESSAGES/outpost.mo' "$T/st.files"
check "outpost ships outpost(1) and outpost(5)" sh -c "grep -q 'man1/outpost.1' '$T/st.files' && grep -q 'man5/outpost.5' '$T/st.files'"
check "outpost ships the user unit outpost-sync.service" grep -q 'user/outpost-sync.service' "$T/st.files"
check "outpost-hub ships its unit" grep -q 'system/outpost-hub.service' "$T/hub.files"
check "outpost-hub ships outpost-hub(8)" grep -q 'man8/outpost-hub.8' "$T/hub.files"
if command -v lintian >/dev/null; then
	lintian --fail-on error "$T"/debs/*.changes >"$T/lintian" 2>&1
	rc=$?
	sed 's/^/# lintian: /' "$T/lintian"
	ok $rc "lintian finds no errors"
fi

P="$T/sp"
st() { db=$1; shift; /usr/bin/outpost "$@" --db "$db" --passphrase-file "$P"; }
hub() { cmd=$1; shift; /usr/sbin/outpost-hub "$cmd" --store "$T/hub.db" --passphrase-file "$T/hp" "$@"; }
serve() {
	: >"$T/serve.out"
	/usr/sbin/outpost-hub serve --store "$T/hub.db" --passphrase-file "$T/hp" \
	    --listen "tcp://127.0.0.1:$PORT" >"$T/serve.out" 2>"$T/serve.err" &
	HUBPID=$!
	wait_for 10 grep -q listening "$T/serve.out"
}
PORT=$(free_port)
if [ $have_old -eq 1 ]; then
	INSTALLED=1
	expect_rc 0 "dpkg -i the old packages" dpkg -i "$T"/debs-old/outpost_*.deb "$T"/debs-old/outpost-hub_*.deb
	expect_rc 0 "old outpost init" /usr/bin/outpost init --db "$T/up.db" --passphrase-file "$P" \
	    --kdf test-cheap --station-kind gate --station "Old Gate"
	expect_rc 0 "old outpost add temp" st "$T/up.db" add temp --temp 36.6
	expect_rc 0 "old outpost add visitor" st "$T/up.db" add visitor --name 张伟 \
	    --id-number 11010519491231002X --phone 13800138000 --host 3-2-301 --health-code green
	expect_rc 0 "old hub init" hub init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
	expect_rc 0 "old hub enroll" hub enroll --station "Old Gate"
	TOKEN=$(tail -n 1 "$T/last.out")
	check "old hub serves" serve
	expect_rc 0 "old station enrolls" st "$T/up.db" enroll "$TOKEN"
	expect_rc 0 "old station syncs" st "$T/up.db" sync
	kill -TERM "$HUBPID"; wait "$HUBPID"; HUBPID=""
fi

INSTALLED=1
expect_rc 0 "dpkg -i the new packages$( [ $have_old -eq 1 ] && echo ' over the old ones')" \
    dpkg -i "$NEW_ST" "$NEW_HUB"
check "both are installed at the new version" sh -c "dpkg-query -W -f='\${Version}\n' outpost outpost-hub | grep -cx '$(dpkg-deb -f "$NEW_ST" Version)' | grep -qx 2"
expect_rc 0 "installed outpost --version" /usr/bin/outpost --version
check "… prints the version" grep -q "0\.[0-9]" "$T/last.out"
env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 /usr/bin/outpost --help >"$T/zh.out" 2>&1
check "LANG=zh_CN.UTF-8 outpost --help is in Chinese (the installed catalog)" grep -q "不带命令时" "$T/zh.out"
expect_rc 0 "installed outpost init" /usr/bin/outpost init --db "$T/new.db" --passphrase-file "$P" \
    --kdf test-cheap --station-kind traffic --station "New Post"
expect_rc 0 "installed outpost add" st "$T/new.db" add temp --temp 36.8
expect_rc 0 "installed outpost list" st "$T/new.db" list
check "… shows the record" grep -q "36\.8" "$T/last.out"
check "the hub's system user exists" sh -c "getent passwd outpost-hub >/dev/null"
check "/etc/outpost-hub is root's alone" sh -c "[ \"\$(stat -c '%a %U' /etc/outpost-hub)\" = '700 root' ]"
if command -v systemd-analyze >/dev/null; then
	# verify exits 0 on unknown keys and bad values too: it must say nothing at all
	verify() {
		systemd-analyze verify "$1" >"$T/verify" 2>&1
		rc=$?
		sed 's/^/# /' "$T/verify"
		[ $rc -eq 0 ] && [ ! -s "$T/verify" ]
	}
	check "systemd-analyze verify outpost-hub.service: no error, no warning" verify /lib/systemd/system/outpost-hub.service
	check "systemd-analyze verify outpost-sync.service (user unit): no error, no warning" verify /usr/lib/systemd/user/outpost-sync.service
	if systemd-analyze security --offline=yes /lib/systemd/system/outpost-hub.service >"$T/sec" 2>&1; then
		grep "Overall exposure" "$T/sec" | sed 's/^/# /'
		check "systemd-analyze security rates the hub's sandbox OK or better" grep -q "Overall exposure level.*\(OK\|SAFE\)" "$T/sec"
	fi
else
	echo "# systemd-analyze is missing: units not verified"
fi

if [ $have_old -eq 1 ]; then
	expect_rc 0 "the new outpost reads the old logbook" st "$T/up.db" list
	check "… the old temperature" grep -q "36\.6" "$T/last.out"
	check "… the old visitor" grep -q "张伟" "$T/last.out"
	expect_rc 0 "the new outpost checks the old logbook" st "$T/up.db" check
	expect_rc 0 "and writes to it" st "$T/up.db" add temp --temp 37.9
	check "the new hub serves the old store" serve
	expect_rc 0 "the new hub lists the old station" hub stations
	check "… by name" grep -q "Old Gate" "$T/last.out"
	expect_rc 0 "the upgraded station syncs with the upgraded hub" st "$T/up.db" sync
	check "… pushing only the new record" grep -q "1 records pushed" "$T/last.out"
	kill -TERM "$HUBPID"; wait "$HUBPID"; rc=$?; HUBPID=""
	ok $rc "the hub exits 0 on SIGTERM (exit $rc)"
	check "the hub holds all three records once" same_records "$T/up.db" "$T/hub.db" "Old Gate"
fi

expect_rc 0 "dpkg -r removes both" dpkg -r outpost outpost-hub
check "… and the programs are gone" sh -c "[ ! -e /usr/bin/outpost ] && [ ! -e /usr/sbin/outpost-hub ]"
expect_rc 0 "dpkg --purge" dpkg --purge outpost outpost-hub
INSTALLED=""
check "… the logbooks written meanwhile are untouched" test -s "$T/new.db"
done_testing
