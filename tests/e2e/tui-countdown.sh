#!/bin/sh
# The fever countdown in the alert line keeps counting on every screen (it froze on Search
# and Inside now), and names the recheck key as the key bar does (F8, or ^X on vt100).
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
alert_line() { screen_text | sed -n 2p; }
# moves: the alert line shows another countdown than it did
moves() {
	first=$(alert_line)
	wait_for 5 sh -c "[ \"\$(tmux -S '$_tsock' capture-pane -p -t tui | sed -n 2p)\" != '$first' ]"
}
check "signed in" start screen
type_text "383"; keys Enter
check "a fever starts the countdown" wait_screen "Recheck in"
check "naming F8" on_screen "(F8)"
keys F2
check "search is shown" wait_screen "the start of it is enough"
check "the countdown still moves on Search" moves
keys Escape F3
check "inside now is shown" wait_screen "Nobody is inside"
check "the countdown still moves on Inside now" moves
keys Escape F10
check "left cleanly" wait_screen "EXITED 0"
check "on vt100" start vt100
check "the countdown names ^X" wait_screen "(^X)"
keys C-q
check "left cleanly on vt100" wait_screen "EXITED 0"
done_testing
