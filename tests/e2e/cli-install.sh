# cli-install.sh — the catalogs are found: `make install PREFIX=/usr` builds a binary whose
# compiled locale directory is /usr/share/locale (changing PREFIX rebuilds what uses it),
# and an installed binary finds PREFIX/share/locale beside itself at run time, whatever
# prefix it was built with. Works on a copy of the build tree, so the tree under test is
# never relinked while other tests run it.
. tests/e2e/lib.sh
cp -a "$OUTPOST_TOP/$B" "$T/b"
export LANGUAGE=zh_CN
unset OUTPOSTLOCALEDIR
inst() { make -s -C "$OUTPOST_TOP" B="$T/b" DESTDIR="$T/$1" PREFIX="$2" install >"$T/make.out" 2>&1; }
check "make install PREFIX=/usr" inst root /usr
check "it rebuilt with LOCALEDIR /usr/share/locale" sh -c "strings '$T/root/usr/bin/outpost' | grep -qx /usr/share/locale"
check "the catalog is installed under PREFIX" [ -f "$T/root/usr/share/locale/zh_CN/LC_MESSAGES/outpost.mo" ]
check "the installed outpost speaks Chinese" sh -c "'$T/root/usr/bin/outpost' --help | grep -q '用法'"
check "so does outpost-hub" sh -c "'$T/root/usr/sbin/outpost-hub' --help | grep -q '用法'"
check "make install PREFIX=/opt/op" inst opt /opt/op
check "rebuilt again for the new PREFIX" sh -c "strings '$T/opt/opt/op/bin/outpost' | grep -qx /opt/op/share/locale"
check "and it finds its catalog" sh -c "'$T/opt/opt/op/bin/outpost' --lang zh init --help | grep -q '用法'"
# a binary moved under another prefix than it was built for still finds PREFIX/share/locale
mkdir -p "$T/moved/bin" "$T/moved/share"
cp "$T/root/usr/bin/outpost" "$T/moved/bin/"
cp -r "$T/root/usr/share/locale" "$T/moved/share/"
check "a binary under another prefix finds ../share/locale" sh -c "'$T/moved/bin/outpost' --help | grep -q '用法'"
rm -r "$T/moved/share/locale"
check "with no catalog anywhere it speaks English" sh -c "'$T/moved/bin/outpost' --help | grep -q '^usage: outpost'"
done_testing
