# deb-control.sh — debian/control's Build-Depends name the Debian package of every
# library the Makefile builds with (PKGS, and cmocka for the unit tests the package build
# runs), so a library added to the Makefile cannot break dpkg-buildpackage unnoticed; and
# debian/ holds what dh needs.
. tests/e2e/lib.sh
command -v dpkg >/dev/null || { echo "ok 1 # SKIP not a Debian system"; echo "1..1"; exit 0; }
bd=$(sed -n '/^Build-Depends:/,/^[A-Z][a-zA-Z-]*:/p' debian/control | sed '$d' |
    sed 's/^Build-Depends://' | tr ',|' '\n\n' | sed 's/(.*)//; s/<.*>//; s/ //g' | grep . | sort -u)
pkgs="$(sed -n 's/^PKGS *= *//p' Makefile) cmocka"
for pc in $pkgs; do
	dir=$(pkg-config --variable=pcfiledir "$pc" 2>/dev/null)
	owner=$(dpkg -S "$dir/$pc.pc" 2>/dev/null | cut -d: -f1 | head -n 1)
	if [ -z "$owner" ]; then
		echo "# $pc: no Debian package owns its .pc file here"
		continue
	fi
	check "Build-Depends has $owner (for pkg-config $pc)" sh -c "echo '$bd' | grep -qx '$owner'"
done
check "Build-Depends has gettext (msgfmt for the catalog)" sh -c "echo '$bd' | grep -qx gettext"
check "debian/rules is executable" test -x debian/rules
check "debhelper compat 13" sh -c "echo '$bd' | grep -qx 'debhelper-compat'"
check "the package version is the program's" sh -c "[ \"\$(dpkg-parsechangelog -l debian/changelog -S Version | sed 's/-.*//')\" = \"\$(sed -n 's/.*OUTPOST_VERSION=.\"\([^\"]*\)\".*/\1/p' Makefile | head -n 1)\" ]"
done_testing
