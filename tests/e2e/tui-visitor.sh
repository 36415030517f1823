#!/bin/sh
# TUI at a gate: a visitor with a bad ID check character is refused with everything typed
# kept, then saved once corrected (birth date and sex shown); the inside-now list logs the
# exit with one key; residents' outing quota; the logbook holds the entry and its exit.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"
PASS=$(pass_file "gate-keeper-7")

check "setup a gate" tui_setup gate "East Gate 3" "gate-keeper-7"
keys F7 F7
check "the visitor form" wait_screen "host household"
check "it starts on the ID number" on_screen "ID number▸"
check "the ID type is resident ID unless changed" on_screen "ID type  resident_id"
type_text "110105194912310028"
check "a wrong check character is shown as typed" wait_screen "check character should be X"
keys Enter Enter
type_text "张三丰"; keys Enter
type_text "13812345678"; keys Enter
type_text "365"; keys Enter
type_text "粤B12345"; keys Enter
type_text "3-2-301"; keys Enter
type_text "visiting family"; keys Enter
type_text "g"; keys C-s
check "not saved, the reason given" wait_screen "Not saved: ID number: check character should be X"
check "the name typed is kept" on_screen "张三丰"
check "the reason typed is kept" on_screen "visiting family"
check "the cursor is back on the ID number" on_screen "ID number▸ 110105194912310028"
keys End BSpace; type_text "x"
check "corrected: birth date and sex derived" wait_screen "born 1949-12-31, female"
keys C-s
check "saved" wait_screen "Saved #2 (Visitor)."
check "the log shows the visitor" wait_screen "Visitor     张三丰"
check "the form is empty again, cursor on top" on_screen "ID number▸"
check "no ID number left in the form" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'ID number  1'"
keys F3
check "inside now lists the visitor" wait_screen "Visitors inside now: 1"
check "with the name" on_screen "张三丰"
keys Enter
check "one key logs the exit" wait_screen "Exit logged (#3) for entry #2."
check "nobody is inside" wait_screen "Nobody is inside."
keys Escape
check "back on the main screen" wait_screen "of entry #2"

# residents going out: the household's quota (1 per 2 days by default) shown as typed
keys F7 F7
type_text "o"; keys Enter; type_text "3-2-301"
check "resident form: outings so far" wait_screen "outings: 0 of 1 in 2 days"
keys Enter Enter; type_text "刘"; keys Enter Enter
check "resident saved" wait_screen "Saved #4 (Resident)."
type_text "o"; keys Enter; type_text "3-2-301"
check "the quota is used up, shown before saving" wait_screen "quota used up: 1 of 1 in 2 days"
keys Enter Enter Enter Enter
check "over quota: recorded, with an alert" wait_screen "Over the outing quota"
# a scanner's burst in the name field lands in the ID number
keys F7
check "back on the visitor form" wait_screen "host household"
keys Enter Enter
keys "110101199003074477" Enter
check "a burst ending in Enter goes to the ID number" wait_screen "Scanned into the ID number."
check "the ID number holds it" on_screen "ID number  110101199003074477"
check "the name field does not" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'name  110101'"
keys Escape Escape
check "cleared" wait_screen "Cleared."
keys F10
check "quits" wait_screen "EXITED 0"

"$OUTPOST" list visitor --format csv --passphrase-file "$PASS" 2>&1 | tr -d "\r" >"$T/rows"
"$OUTPOST" list exit --format csv --passphrase-file "$PASS" 2>&1 | tr -d "\r" >>"$T/rows"
sed 's/^/# /' "$T/rows"
check "the entry is stored with the corrected ID and the name" \
    grep -q "^2,2,visitor,[^,]*,add,.*,11010519491231002X,resident_id,[^,]*,张三丰,$(printf '\t')13812345678,36.5," "$T/rows"
check "the exit points at the entry" grep -q '^3,3,exit,[^,]*,add,.*,2$' "$T/rows"
done_testing
