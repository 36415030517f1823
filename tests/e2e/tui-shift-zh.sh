#!/bin/sh
# Issue 9's new questions in Chinese (LC_ALL=zh_CN.UTF-8): a fever released as pass asks for
# a reason and a y; the same person inside twice asks to log the earlier exit; the next
# operator sees the handover note and the fever still waiting; the report counts the release.
. tests/e2e/tui.inc
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
	echo "ok 1 - # SKIP no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"
	done_testing
fi
LC_ALL=zh_CN.UTF-8
PASS=$(pass_file "dong-men-88")
export OUTPOST_NOW=2026-03-01T08:00:00
TUI_ENV="OUTPOST_NOW=$OUTPOST_NOW"
op() { "$OUTPOST" "$@" --passphrase-file "$PASS"; }
mk() { op init --station-kind gate --station 东门岗 --kdf test-cheap >/dev/null; }
check "a gate logbook" mk
check "rechecks due at once for the test" op settings set recheck_minutes 0

tui_start
check "locked, in Chinese" wait_screen "登记簿已锁定。"
type_text "dong-men-88"; keys Enter
check "sign-in in Chinese" wait_screen "谁在值班？签到开始本班。"
type_text "李雷"; keys Enter
check "main screen" wait_screen "东门岗 (小区门岗) · 李雷"
# a fever, rechecked still feverish and released as pass
type_text "386"; keys Enter
check "the fever is due for its recheck" wait_screen "现在应复测：发热 38.6 °C"
keys F8
check "the recheck form" wait_screen "复测 #"
type_text "386"; keys Enter; type_text "1"; keys Enter
check "releasing a fever needs a reason, in Chinese" wait_screen "未保存：override_reason：38.6 °C 属于发热：放行需要说明理由"
type_text "医生复核：晒伤"; keys Enter
check "and a y, in Chinese" wait_screen "发热 38.6 °C 仍要放行吗？"
keys y
check "saved" wait_screen "已保存 #3（体温）。"
# the same person inside twice
keys F7 F7
check "the visitor form starts on the ID number" wait_screen "证件号码▸"
for n in 1 2; do
	type_text "11010519491231002X"; keys Enter Enter; type_text "张三"; keys Enter
	type_text "13812345678"; keys Enter; type_text "365"; keys Enter Enter
	type_text "3-2-301"; keys Enter Enter; type_text "g"; keys Enter
	[ $n -eq 1 ] && wait_screen "已保存 #4（访客）。" >/dev/null
done
check "the same person inside twice is asked about, in Chinese" wait_screen "此人已在区内（登记 #4）"
keys y
check "the earlier exit is logged and the entry saved" wait_screen "已保存 #6（访客）。"
# a feverish visitor left for the next shift, then the handover
type_text "110105194912310011"; keys Enter Enter; type_text "王五"; keys Enter
type_text "13812345678"; keys Enter; type_text "381"; keys Enter Enter
type_text "3-2-301"; keys Enter Enter; type_text "g"; keys Enter
check "a feverish visitor saved" wait_screen "已保存 #7（访客）。"
keys F5
check "the report" wait_screen "报告："
check "released despite fever is its own line" on_screen "发热仍放行 1"
keys F9
type_text "二号门锁坏了"; keys Enter
check "handed over" wait_screen "已交班"
check "the next operator sees the note" wait_screen "李雷 于 08:00 交班：二号门锁坏了"
check "and the fever still waiting" on_screen "等待复测的发热：1 个（签到后按 F8）"
check "named as a visitor's" on_screen "#7 访客 38.1 °C"
type_text "王芳"; keys Enter
check "the next operator is on" wait_screen "东门岗 (小区门岗) · 王芳"
keys F10
check "quits" wait_screen "EXITED 0"
done_testing
