#!/bin/sh
# TUI: the terminal shrinks to 80x24 in the middle of a form, then below the minimum, then
# grows again: nothing typed is lost, the screen says what size it needs, keys typed while
# nothing can be seen do nothing (a bell), and the larger window is used; F1 lists every key
# of the screen on one screen at 80x24.
. tests/e2e/tui.inc

check "setup a traffic station" tui_setup traffic "G4 north" "cold-night-42"
keys F7
type_text "粤B12345"; keys Enter; type_text "王小明"; keys Enter Enter Enter
type_text "365"; keys Enter; type_text "1"; keys Enter; type_text "366"; keys Enter
type_text "深圳"
tm resize-window -t tui -x 80 -y 24
check "80x24: the plate is still in the form" wait_screen "粤B12345"
check "80x24: the driver's name too" on_screen "王小明"
check "80x24: the field being typed too" on_screen "深圳"
check "80x24: the screen is 80 columns" sh -c "[ \$(tmux -S '$_tsock' display -p -t tui '#{window_width}') -eq 80 ]"
check "80x24: the key bar is on the last row" sh -c "tmux -S '$_tsock' capture-pane -p -t tui | sed -n 24p | grep -q 'F2 Search'"
keys F1
check "80x24: help lists the screen's keys" wait_screen "Keys of the screen \"Main\""
check "80x24: help shows the last global key" on_screen "Leave outpost"
check "80x24: and the form keys" on_screen "^U Cut start"
keys Escape
tm resize-window -t tui -x 60 -y 20
check "too small: says what it needs" wait_screen "Make the terminal at least 80×24 (now 60×20)."
type_text "南山"
tm resize-window -t tui -x 120 -y 40
check "grown: the form is back, with what was typed before" wait_screen "深圳"
check "nothing was typed unseen while small" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 深圳南山"
check "grown: the plate kept" on_screen "粤B12345"
check "grown: the key bar is on row 40" sh -c "tmux -S '$_tsock' capture-pane -p -t tui | sed -n 40p | grep -q 'F2 Search'"
type_text "x"; keys BSpace
keys Enter Enter Enter; type_text "p"; keys C-s
check "the form saves after all that" wait_screen "Saved #2 (Vehicle)."
keys F10
check "the app exits 0" wait_screen "EXITED 0"
done_testing
