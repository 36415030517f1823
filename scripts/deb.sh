#!/bin/sh
# deb.sh SRC OUTDIR — builds the Debian packages outpost and outpost-hub from the tree at
# SRC (dpkg-buildpackage -us -uc -b) in a scratch copy, so SRC stays clean, and moves the
# .deb, .buildinfo and .changes files into OUTDIR. The copy holds what git tracks plus new
# files it does not ignore (or, outside git, SRC without its build directories).
# DEB_BUILD_OPTIONS passes through (e.g. nocheck to skip the unit tests).
set -e
src=${1:?usage: scripts/deb.sh SRC OUTDIR}
out=${2:?usage: scripts/deb.sh SRC OUTDIR}
command -v dpkg-buildpackage >/dev/null ||
	{ echo "deb.sh: dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/outpost-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/outpost"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	    xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	    tar --null -T - -cf - | tar -xf - -C "$tmp/outpost")
else
	(cd "$src" && tar cf - --exclude=./build --exclude=./build-asan .) | (cd "$tmp/outpost" && tar xf -)
fi
jobs=$(nproc 2>/dev/null || echo 1)
(cd "$tmp/outpost" &&
    DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }parallel=$jobs" \
    dpkg-buildpackage -us -uc -b)
mkdir -p "$out"
mv "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes "$out"/
ls "$out"/*.deb
