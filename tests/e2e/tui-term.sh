#!/bin/sh
# The key bar shows what works: on terminals whose F-keys cannot be trusted (TERM=vt100, the
# linux console) it shows the Ctrl mnemonics, and an escape sequence curses does not know
# (tmux sends F5 as ESC [ 1 5 ~, which vt100's terminfo lacks; F1 as ESC O P, which linux's
# lacks) is swallowed, never typed into a field. On a terminal with F-keys the bar shows them.
. tests/e2e/tui.inc
TUI_X=80 TUI_Y=24
DB="$T/lb.db"
PASS=$(pass_file "cold-night-42")
check "init a gate logbook" sh -c "'$OUTPOST' init --db '$DB' --station-kind gate --station 'East Gate' --passphrase-file '$PASS' --kdf test-cheap >/dev/null"
start() {
	tui_start "TERM=$1" -- --db "$DB"
	wait_screen "The logbook is locked." || return 1
	type_text "cold-night-42"; keys Enter
	wait_screen "Sign in to start" || return 1
	type_text "Li"; keys Enter
	wait_screen "Today, newest first:"
}
# the field row of the focused field: what was typed into it
field_row() { screen_text | grep '▸'; }
for term in vt100 linux; do
	check "$term: signed in" start $term
	check "$term: the bar shows Ctrl mnemonics" wait_screen "^F Search ^W Inside"
	check "$term: the form hint names the Ctrl key too" on_screen "(^N: next form)"
	check "$term: no F-key in the bar" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | tail -1 | grep -q 'F[0-9]'"
	type_text "36"
	keys F5
	check "$term: the screen says to use the Ctrl keys" wait_screen "use the Ctrl keys in the bar"
	[ $term = linux ] && keys F1 F2	# ESC O P, ESC O Q: not linux's F1, F2
	type_text "5"
	check "$term: the unknown keys typed nothing into the field" wait_screen "°C▸ 365 "
	check "$term: nothing of a sequence in the field" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep '▸' | grep -q '[[~O]'"
	keys C-r
	check "$term: the Ctrl mnemonic works (report)" wait_screen "Report"
	keys Escape
	keys C-g
	check "$term: help lists both keys" wait_screen "F2 ^F"
	keys Escape
	keys C-q	# with unsaved typing it asks first: a second one quits
	keys C-q
	check "$term: quits with Ctrl-Q" wait_screen "EXITED 0"
done
check "screen: signed in" start screen
check "screen: the bar shows F-keys" wait_screen "F2 Search F3 Inside"
keys F2
check "screen: F2 opens search" wait_screen "Search"
keys Escape F10 F10
check "screen: F10 quits" wait_screen "EXITED 0"
done_testing
