#!/bin/sh
# Plates without an input method, on the screen: while only a pinyin is typed the note lists
# the provinces it may be and what to type for each; then it says how the plate was read;
# full-width digits and the Chinese comma from an input method are taken as plain ones; the
# stored plate has its province character.
. tests/e2e/tui.inc
TUI_X=80 TUI_Y=24
DB="$T/lb.db"
PASS=$(pass_file "cold-night-42")
check "init a traffic logbook" sh -c "'$OUTPOST' init --db '$DB' --station-kind traffic --station 'G4' --passphrase-file '$PASS' --kdf test-cheap >/dev/null"
tui_start -- --db "$DB"
wait_screen "The logbook is locked."
type_text "cold-night-42"; keys Enter
wait_screen "Sign in to start"
type_text "Li"; keys Enter
wait_screen "Today, newest first:"
keys F7
check "the vehicle form" wait_screen "plate▸"
type_text "ji"
check "the pinyin is kept in lower case" on_screen "plate▸ ji "
check "the pick list: 冀 by ji, 吉 by jilin" wait_screen "冀 ji"
check "and 吉 by jilin" on_screen "吉 jilin"
type_text "G7K2Q9"
check "the rest as typed" wait_screen "plate▸ jiG7K2Q9"
check "the note says how it was read" wait_screen "冀G7K2Q9 · ji read as 冀"
keys Tab; type_text "司机"
keys Tab Tab Tab; type_text "３６．６"
check "a full-width driver's temperature is read" wait_screen "36.6 °C"
keys Tab; type_text "２"
keys Tab; type_text "３６．５，３７。０"
check "full-width temperatures typed" wait_screen "temperatures▸ ３６．５，３７。０"
check "and not refused" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'not valid'"
keys Tab; type_text "深圳"
keys Tab Tab Tab; type_text "1"
keys C-s
check "saved" wait_screen "Saved #"
check "the log shows the plate with its province" wait_screen "冀G7K2Q9"
keys F10
check "left cleanly" wait_screen "EXITED 0"
check "stored with its character" sh -c "'$OUTPOST' list vehicle --db '$DB' --passphrase-file '$PASS' --format json | grep -q '\"plate\":\"冀G7K2Q9\"'"
check "two occupants' temperatures" sh -c "'$OUTPOST' list vehicle --db '$DB' --passphrase-file '$PASS' --format json | grep -q '\"occupant_temps\":\"36.5,37.0\"'"
done_testing
