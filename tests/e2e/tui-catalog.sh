#!/bin/sh
# The zh_CN catalog compiles cleanly and translates every message of the TUI (tui/*.c and the
# record kinds: labels, rules and their messages it shows); messages elsewhere left untranslated are counted, not failed
# ("make pot" merges new ones in).
. tests/e2e/lib.sh
check "zh_CN.po compiles with format checks" msgfmt --check -o "$T/zh.mo" po/zh_CN.po
xgettext --from-code=UTF-8 -k_ -kN_ -kdngettext:2,3 -o "$T/tui.pot" tui/*.c storage/fields.c storage/kind-*.c storage/rules.c storage/record.c storage/settings.c storage/labels.c storage/validate-plate.c
msgmerge -q --no-fuzzy-matching -o "$T/tui.po" po/zh_CN.po "$T/tui.pot"
n=$(msgattrib --untranslated --no-obsolete "$T/tui.po" | grep -c '^msgid ' )
[ "$n" -gt 0 ] && n=$((n - 1))	# the header entry
msgattrib --untranslated --no-obsolete "$T/tui.po" | grep '^msgid ' | sed 's/^/# untranslated: /'
check "every TUI message is translated ($n missing)" test "$n" -eq 0
f=$(msgattrib --only-fuzzy --no-obsolete po/zh_CN.po | grep -c '^msgid ')
check "no fuzzy translations left" test "$f" -eq 0
xgettext --from-code=UTF-8 -k_ -kN_ -o "$T/all.pot" $(ls crypto/*.c storage/*.c sync/*.c cli/*.c tui/*.c 2>/dev/null)
msgmerge -q --no-fuzzy-matching -o "$T/all.po" po/zh_CN.po "$T/all.pot"
echo "# project-wide untranslated: $(msgattrib --untranslated --no-obsolete "$T/all.po" | grep -c '^msgid ')"
check "the Chinese catalog reaches the program" sh -c "LC_ALL=zh_CN.UTF-8 OUTPOSTLOCALEDIR='$PWD/$B/locale' '$OUTPOST' --help | grep -q '用法'"
done_testing
