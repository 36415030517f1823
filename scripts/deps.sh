#!/bin/sh
# Installs the Debian packages outpost needs to build, test and benchmark.
# Idempotent: packages already present are left alone. Used by .ci/run.
set -e
PKGS="build-essential pkg-config libsodium-dev libssl-dev libsqlite3-dev libncurses-dev
libzmq3-dev libzstd-dev libcbor-dev libpq-dev libxlsxwriter-dev libcmocka-dev gettext tmux
mandoc libsqlcipher-dev sqlite3 locales python3 python3-openpyxl faketime procps
postgresql libfiu-dev fiu-utils clang libclang-rt-14-dev
debhelper dpkg-dev fakeroot lintian systemd"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# The Chinese interface and its tests need a zh_CN.UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	if [ -f /etc/locale.gen ]; then
		$SUDO sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
		grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
		$SUDO locale-gen >/dev/null
	fi
fi
