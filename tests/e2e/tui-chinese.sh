#!/bin/sh
# TUI in Chinese (LC_ALL=zh_CN.UTF-8): setup, sign-in and the visitor form in Chinese, a
# Chinese and a Latin name in the log with the next column at the same display column;
# --lang en and --lang zh override the locale.
. tests/e2e/tui.inc
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf8$'; then
	echo "ok 1 - # SKIP no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"
	done_testing
fi
LC_ALL=zh_CN.UTF-8
# display column where TEXT starts on the screen line holding it (wide characters count 2)
col_of() {
	screen_text | python3 -c '
import sys, unicodedata
t = sys.argv[1]
for line in sys.stdin:
    i = line.find(t)
    if i >= 0:
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))
        break' "$1"
}

tui_start
check "setup screen in Chinese" wait_screen "还没有登记簿：请设置本站。"
check "field labels in Chinese" on_screen "再输入口令"
type_text "g"; keys Enter
check "the kind explained in Chinese" wait_screen "小区门岗"
type_text "东门岗"; keys Enter
type_text "dong-men-88"; keys Enter; type_text "dong-men-88"; keys Enter
check "recovery key page in Chinese" wait_screen "这是它的恢复密钥" 20
grp=$(screen_text | grep -oE '[A-Z0-9]{5}-[A-Z0-9]{5}-' | head -1 | cut -c1-5)
type_text "$grp"; keys Enter
check "sign-in in Chinese" wait_screen "谁在值班？签到开始本班。"
type_text "李雷"; keys Enter
check "status bar in Chinese" wait_screen "东门岗 (小区门岗) · 李雷"
check "key bar in Chinese" on_screen "F2 查找"
keys F7 F7
check "visitor form labels in Chinese" wait_screen "拜访户号"
check "the ID type defaults to resident ID, in Chinese" on_screen "证件类型  居民身份证"
type_text "11010519491231002X"
check "derived birth date and sex in Chinese" wait_screen "出生 1949-12-31，女"
keys Enter Enter; type_text "欧阳娜娜"; keys Enter; type_text "13812345678"; keys Enter
type_text "365"; keys Enter Enter
type_text "3-2-301"; keys Enter Enter; type_text "g"; keys C-s
check "saved, in Chinese" wait_screen "已保存 #2（访客）。"
type_text "110101199003074477"; keys Enter Enter
type_text "Anna Li"; keys Enter; type_text "13912345678"; keys Enter; type_text "36.6"; keys Enter Enter
type_text "5-1-101"; keys Enter Enter; type_text "g"; keys C-s
check "second visitor saved" wait_screen "已保存 #3（访客）。"
c1=$(col_of "11010519491231002X"); c2=$(col_of "110101199003074477")
echo "# ID column: $c1 after the Chinese name, $c2 after the Latin one"
check "Chinese and Latin names aligned: the ID column is the same" test -n "$c1" -a "$c1" = "$c2"
h1=$(col_of "3-2-301"); h2=$(col_of "5-1-101")
check "and so is the household column" test -n "$h1" -a "$h1" = "$h2"
keys F1
check "help in Chinese" wait_screen "“主屏”屏的按键"
keys Escape
keys F10
check "the app exits 0" wait_screen "EXITED 0"

LC_ALL=C.UTF-8
tui_start -- --lang zh
check "--lang zh under an English locale" wait_screen "登记簿已锁定。"
keys F10
check "the app exits 0" wait_screen "EXITED 0"
LC_ALL=zh_CN.UTF-8
tui_start -- --lang en
check "--lang en under a Chinese locale" wait_screen "The logbook is locked."
keys F10
check "the app exits 0" wait_screen "EXITED 0"
tui_start -- --lang fr
check "an unknown language is a usage error" wait_screen "EXITED 1"
done_testing
