#!/bin/sh
# TUI in Chinese: a choice field lists its choices by number in Chinese, and a volunteer
# picks one by its number or by typing the Chinese label; the code is what is stored.
. tests/e2e/tui.inc
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
	echo "ok 1 - # SKIP no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"
	done_testing
fi
DB="$XDG_DATA_HOME/outpost/logbook.db"
PASS=$(pass_file "cold-night-42")
check "setup a traffic station" tui_setup traffic "G4 北" "cold-night-42"
keys F10
check "the app exits 0" wait_screen "EXITED 0"
LC_ALL=zh_CN.UTF-8
tui_start
check "unlock screen in Chinese" wait_screen "登记簿已锁定。"
type_text "cold-night-42"; keys Enter
wait_screen "签到开始本班"
keys Enter
check "main screen in Chinese" wait_screen "今天，最新在前："
keys Tab
check "the method's choices are numbered, in Chinese" wait_screen "1 额温  2 腕温  3 耳温"
check "the method starts as forehead, in Chinese" on_screen "测量方式▸ 额温"
type_text "5"
check "a number picks the choice, replacing the default" wait_screen "→ 腋温"
check "the default is gone, not added to" on_screen "测量方式▸ 5 "
keys C-u
type_text "耳"
check "so does the start of the Chinese label" wait_screen "→ 耳温"
keys BTab
type_text "365"; keys Enter
check "saved" wait_screen "#2"
check "the log shows the disposition in Chinese" wait_screen "放行"
keys F10
check "the app exits 0" wait_screen "EXITED 0"
check "the stored method is the code" sh -c "\"$OUTPOST\" list temp --db \"$DB\" --passphrase-file \"$PASS\" --format json | grep -q '\"method\":\"ear\"'"
done_testing
