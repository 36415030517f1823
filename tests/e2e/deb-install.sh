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
# what the packages leave on purge by design (the user, /etc/outpost-hub), this test
# removes when the machine did not have it before
HAD_USER=0 HAD_ETC=0
getent passwd outpost-hub >/dev/null && HAD_USER=1
[ -e /etc/outpost-hub ] && HAD_ETC=1
purge_all() {
	[ -n "$HUBPID" ] && kill "$HUBPID" 2>/dev/null
	[ -n "$INSTALLED" ] && dpkg --purge outpost outpost-hub >/dev/null 2>&1
	[ $HAD_ETC -eq 0 ] && rm -rf /etc/outpost-hub
	[ $HAD_USER -eq 0 ] && getent passwd outpost-hub >/dev/null &&
	    deluser --system --quiet outpost-hub >/dev/null 2>&1
	return 0
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
# what a build in the tree would leave: debian/'s products, packages beside the tree
tree_state() { git status --porcelain --ignored -- debian 2>/dev/null; ls -d ../*.deb ../*.changes 2>/dev/null; }
tree_state >"$T/status.before"
check "dpkg-buildpackage builds this tree (make deb's script)" sh -c "scripts/deb.sh . '$T/debs' >'$T/build.log' 2>&1 || { tail -20 '$T/build.log' | sed 's/^/# /'; exit 1; }"
NEW_ST=$(ls "$T"/debs/outpost_*.deb 2>/dev/null)
NEW_HUB=$(ls "$T"/debs/outpost-hub_*.deb 2>/dev/null)
check "… into outpost and outpost-hub" test -f "$NEW_ST" -a -f "$NEW_HUB"
tree_state >"$T/status.after"
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
# the upgraded logbook sits where outpost-sync.service looks: the default path
UP="$HOME/.local/share/outpost/logbook.db"
mkdir -p "$(dirname "$UP")"
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
	expect_rc 0 "old outpost init" /usr/bin/outpost init --db "$UP" --passphrase-file "$P" \
	    --kdf test-cheap --station-kind gate --station "Old Gate"
	expect_rc 0 "old outpost add temp" st "$UP" add temp --temp 36.6
	expect_rc 0 "old outpost add visitor" st "$UP" add visitor --name 张伟 \
	    --id-number 11010519491231002X --phone 13800138000 --host 3-2-301 --health-code green
	expect_rc 0 "old hub init" hub init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
	expect_rc 0 "old hub enroll" hub enroll --station "Old Gate"
	TOKEN=$(tail -n 1 "$T/last.out")
	check "old hub serves" serve
	expect_rc 0 "old station enrolls" st "$UP" enroll "$TOKEN"
	expect_rc 0 "old station syncs" st "$UP" sync
	term_wait "$HUBPID"; HUBPID=""
fi

INSTALLED=1
expect_rc 0 "dpkg -i the new packages$( [ $have_old -eq 1 ] && echo ' over the old ones')" \
    dpkg -i "$NEW_ST" "$NEW_HUB"
check "both are installed at the new version" sh -c "dpkg-query -W -f='\${Version}\n' outpost outpost-hub | grep -cx '$(dpkg-deb -f "$NEW_ST" Version)' | grep -qx 2"
expect_rc 0 "installed outpost --version" /usr/bin/outpost --version
check "… prints the version" grep -q "0\.[0-9]" "$T/last.out"
env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 /usr/bin/outpost --help >"$T/zh.out" 2>&1
if [ ! -e /usr/share/locale/zh_CN/LC_MESSAGES/outpost.mo ] &&
    grep -qs '^path-exclude.*/usr/share/locale' /etc/dpkg/dpkg.cfg.d/*; then
	echo "ok $((_n += 1)) # SKIP dpkg here path-excludes /usr/share/locale: no catalog installed"
elif ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
	echo "ok $((_n += 1)) # SKIP no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"
else
	check "LANG=zh_CN.UTF-8 outpost --help is in Chinese (the installed catalog)" grep -q "不带命令时" "$T/zh.out"
fi
expect_rc 0 "installed outpost init" /usr/bin/outpost init --db "$T/new.db" --passphrase-file "$P" \
    --kdf test-cheap --station-kind traffic --station "New Post"
expect_rc 0 "installed outpost add" st "$T/new.db" add temp --temp 36.8
expect_rc 0 "installed outpost list" st "$T/new.db" list
check "… shows the record" grep -q "36\.8" "$T/last.out"
check "the hub's system user exists" sh -c "getent passwd outpost-hub >/dev/null"
check "/etc/outpost-hub is root's alone" sh -c "[ \"\$(stat -c '%a %U' /etc/outpost-hub)\" = '700 root' ]"
if command -v systemd-analyze >/dev/null; then
	# verify exits 0 on unknown keys and bad values too: it must say nothing at all
	# (its Documentation= check runs man: skipped where man or the installed pages are
	# missing, as in container images that path-exclude /usr/share/man)
	vopt=""
	if ! command -v man >/dev/null || [ ! -e /usr/share/man/man8/outpost-hub.8.gz ]; then
		vopt="--man=no"
		echo "# man or the installed manual pages are missing: verify --man=no"
	fi
	verify() {
		systemd-analyze verify $vopt "$1" >"$T/verify" 2>&1
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
	expect_rc 0 "the new outpost reads the old logbook" st "$UP" list
	check "… the old temperature" grep -q "36\.6" "$T/last.out"
	check "… the old visitor" grep -q "张伟" "$T/last.out"
	expect_rc 0 "the new outpost checks the old logbook" st "$UP" check
	expect_rc 0 "and writes to it" st "$UP" add temp --temp 37.9
	check "the new hub serves the old store" serve
	expect_rc 0 "the new hub lists the old station" hub stations
	check "… by name" grep -q "Old Gate" "$T/last.out"
	expect_rc 0 "the upgraded station syncs with the upgraded hub" st "$UP" sync
	check "… pushing only the new record" grep -q "1 records pushed" "$T/last.out"

	# outpost-sync.service's command line, as systemd would run it for this user
	mkdir -p "$HOME/.config/outpost"
	(umask 077; head -c 32 /dev/urandom | base64 >"$HOME/.config/outpost/sync.key")
	expect_rc 0 "a sync key for the user unit" st "$UP" passwd add --label sync \
	    --new-passphrase-file "$HOME/.config/outpost/sync.key"
	cmd=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/user/outpost-sync.service | sed "s|%h|$HOME|g")
	echo "# user unit: $cmd"
	env -u XDG_DATA_HOME sh -c "exec $cmd" >"$T/unit.out" 2>"$T/unit.err" </dev/null &
	UPID=$!
	check "the user unit's command watches the default logbook" wait_for 20 grep -qF "watching $UP" "$T/unit.out"
	expect_rc 0 "a record written meanwhile" st "$UP" add temp --temp 36.2
	hub_held() { [ "$("$LBSQL" "$T/hub.db" "$T/hp" sql 'SELECT count(*) FROM records')" = "$1" ]; }
	check "… reaches the hub by itself" wait_for 30 hub_held 4
	term_wait "$UPID"; rc=$?
	ok $rc "the user unit's command stops on SIGTERM with exit 0 (exit $rc)"
	sed 's/^/# unit: /' "$T/unit.err"
	term_wait "$HUBPID"; rc=$?; HUBPID=""
	ok $rc "the hub exits 0 on SIGTERM (exit $rc)"
	check "the hub holds all four records once" same_records "$UP" "$T/hub.db" "Old Gate"
fi

# outpost-hub.service's command line, as its user, with the store and passphrase where the
# unit and DEPLOYMENT in outpost-hub(8) put them; only on a machine that has neither yet
if [ ! -e /var/lib/outpost-hub ] && [ ! -e /etc/outpost-hub/passphrase ]; then
	MADE_STATE=1
	state_clean() { rm -rf /var/lib/outpost-hub /etc/outpost-hub/passphrase "$CRED"; }
	cleanup_hooks="$cleanup_hooks state_clean"
	CRED=$(mktemp -d "${TMPDIR:-/tmp}/outpost-cred.XXXXXX")
	(umask 077; head -c 32 /dev/urandom | base64 >/etc/outpost-hub/passphrase)
	HOPTS="--store /var/lib/outpost-hub/hub.db --passphrase-file /etc/outpost-hub/passphrase"
	expect_rc 0 "DEPLOYMENT: init the service's store as root" /usr/sbin/outpost-hub init $HOPTS \
	    --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
	chown -R outpost-hub:outpost-hub /var/lib/outpost-hub
	chmod 700 /var/lib/outpost-hub
	# what LoadCredential= hands the service: a copy only its user reads
	install -m 0400 -o outpost-hub -g outpost-hub /etc/outpost-hub/passphrase "$CRED/passphrase"
	chown outpost-hub:outpost-hub "$CRED"
	cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/outpost-hub.service |
	    sed "s|%d|$CRED|g; s|\${OUTPOST_HUB_LISTEN}|tcp://127.0.0.1:$PORT|g")
	echo "# hub unit: $cmd"
	: >"$T/svc.out"
	setpriv --reuid=outpost-hub --regid=outpost-hub --init-groups \
	    sh -c "umask 077; exec $cmd" >"$T/svc.out" 2>"$T/svc.err" </dev/null &
	HUBPID=$!
	check "the hub unit's command serves as outpost-hub" wait_for 20 grep -q listening "$T/svc.out"
	expect_rc 0 "root enrolls a station beside the running service" /usr/sbin/outpost-hub enroll $HOPTS \
	    --station "Svc Gate"
	TOKEN=$(tail -n 1 "$T/last.out")
	expect_rc 0 "the station enrolls with the service" st "$T/new.db" enroll "$TOKEN"
	expect_rc 0 "and syncs with it" st "$T/new.db" sync
	check "… pushing its record" grep -q "records pushed" "$T/last.out"
	term_wait "$HUBPID"; rc=$?; HUBPID=""
	ok $rc "the service's hub exits 0 on SIGTERM (exit $rc)"
	sed 's/^/# svc: /' "$T/svc.err" | tail -3
	check "every file of the store still belongs to outpost-hub (root's commands left none of theirs)" \
	    sh -c "[ -z \"\$(find /var/lib/outpost-hub ! -user outpost-hub)\" ]"
	check "… and nobody else may read them" sh -c "[ -z \"\$(find /var/lib/outpost-hub -type f -perm /077)\" ]"
else
	echo "# /var/lib/outpost-hub or /etc/outpost-hub/passphrase exists: the service's command line not run"
fi

expect_rc 0 "dpkg -r removes both" dpkg -r outpost outpost-hub
check "… and the programs are gone" sh -c "[ ! -e /usr/bin/outpost ] && [ ! -e /usr/sbin/outpost-hub ]"
expect_rc 0 "dpkg --purge" dpkg --purge outpost outpost-hub
INSTALLED=""
check "… the logbooks written meanwhile are untouched" test -s "$T/new.db"
if [ -n "$MADE_STATE" ]; then
	check "purge leaves the hub's store and its passphrase" test -s /var/lib/outpost-hub/hub.db -a -s /etc/outpost-hub/passphrase
fi
done_testing
