#!/bin/sh
# TUI alerts that cannot be missed: high-risk plate prefixes set on the settings screen, a
# watchlisted plate and ID (imported with the CLI) raise a red alert line with a bell as
# they are typed, and it stays up; a scanner typing an ID and Enter fills the field; the
# bell rings for a fever; NO_COLOR leaves only attributes.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"
PASS=$(pass_file "cold-night-42")
bell() { tm display -p -t tui '#{window_bell_flag}'; }

TUI_ENV="OUTPOST_NOW=2026-03-01T09:30:00"
check "setup a traffic station" tui_setup traffic "G4 north" "cold-night-42"
check "no bell so far" test "$(bell)" = 0
check "no gate keys at a traffic station" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'F3 Inside'"
type_text "382"; keys Enter
wait_screen "FEVER 38.2"
check "a fever rings the bell" wait_for 5 sh -c "[ \"\$(tmux -S '$_tsock' display -p -t tui '#{window_bell_flag}')\" = 1 ]"
check "the alert line is red" sh -c "tmux -S '$_tsock' capture-pane -e -p -t tui | grep 'FEVER 38.2' | grep -q '\[41m'"

# settings screen: high-risk plate prefixes
keys F6
check "settings screen" wait_screen "Station settings"
check "current threshold shown" on_screen "37.3"
keys Down
type_text "abc"; keys C-s
check "a bad value is refused and kept" wait_screen "Not saved: fever_threshold"
check "the bad value stays in the field" on_screen "37.3abc"
keys BSpace BSpace BSpace
keys Down Down; keys C-u; type_text "鄂A,鄂B"; keys C-s
check "settings saved" wait_screen "Settings saved (1 changed)."
keys Escape
keys F10
check "the app exits 0" wait_screen "EXITED 0"
check "the CLI sees the setting" sh -c "'$OUTPOST' settings get --passphrase-file '$PASS' | grep -q '^high_risk_plates *鄂A,鄂B'"

printf 'type,value,reason\nplate,粤B99999,stolen vehicle\nid,11010519491231002X,wanted\n' >"$T/wl.csv"
check "watchlist imported with the CLI" "$OUTPOST" watchlist import "$T/wl.csv" --passphrase-file "$PASS"

tui_start
wait_screen "The logbook is locked."
type_text "cold-night-42"; keys Enter; wait_screen "Sign in"; keys Enter
wait_screen "Today, newest first:"
keys F8
keys Escape
keys F7
type_text "鄂A12345"
check "a high-risk plate is flagged as it is typed" wait_screen "HIGH-RISK AREA: this plate is from a high-risk region"
keys C-u; type_text "粤B99999"
check "a watchlisted plate raises the alarm as typed" wait_screen "WATCHLIST: this plate is on the watchlist — stolen vehicle"
check "the plate field says so" on_screen "ON THE WATCHLIST"
# A tick (every second of the app's loop) would put the fever countdown back over the
# alert. Instead of sleeping, wait until the app itself has blocked 10 more times in its
# 200 ms input wait (its voluntary context switches): 2 s of its loop, so ticks have run.
app_pid=$(pgrep -P "$(tm display -p -t tui '#{pane_pid}')" -x outpost | head -n 1)
sw0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$app_pid/status")
check "the app's loop ran on (10 idle waits)" wait_for 30 sh -c "[ \$(awk '/^voluntary_ctxt_switches/ { print \$2 }' /proc/$app_pid/status) -ge $((sw0 + 10)) ]"
check "the alert stays up (the fever countdown waits)" on_screen "WATCHLIST: this plate"
keys C-u; type_text "粤B12345"; keys Enter
type_text "王五"; keys Enter
keys "11010519491231002X" Enter
check "a scanner's burst and Enter fills the field and moves on" wait_screen "driver's phone▸"
check "the scanned ID is on the watchlist" wait_screen "WATCHLIST: this ID number is on the watchlist — wanted"
type_text "13812345678"; keys Enter; type_text "365"; keys Enter; keys Enter Enter
type_text "武汉"; keys Enter Enter Enter; type_text "t"; keys C-s
check "saved with the alert stored" wait_screen "Saved #"
check "the stored alert is on the alert line" wait_screen "WATCHLIST: this ID number is on the watchlist"
keys F10
check "the app exits 0" wait_screen "EXITED 0"

TUI_ENV="OUTPOST_NOW=2026-03-01T09:30:00 NO_COLOR=1"
tui_start
wait_screen "The logbook is locked."
type_text "cold-night-42"; keys Enter; wait_screen "Sign in"; keys Enter
wait_screen "FEVER 38.2"
check "NO_COLOR: no colours on screen" sh -c "! tmux -S '$_tsock' capture-pane -e -p -t tui | grep -q '\[4[0-7]m'"
check "NO_COLOR: the fever row still stands out (reverse)" sh -c "tmux -S '$_tsock' capture-pane -e -p -t tui | grep 'Temperature 38.2' | grep -q '7m'"
keys F10
check "the app exits 0" wait_screen "EXITED 0"
done_testing
