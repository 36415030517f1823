#!/bin/sh
# TUI: a normal check in 4 keystrokes, a fever with its alert, bell and countdown, others
# logged meanwhile, an early recheck refused, the recheck after the window with its
# disposition; then the logbook holds exactly those records.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"
PASS=$(pass_file "cold-night-42")

TUI_ENV="OUTPOST_NOW=2026-03-01T08:00:00"
check "setup a traffic station" tui_setup traffic "G4 north" "cold-night-42"
type_text "365"; keys Enter
check "365 Enter saves 36.5 °C" wait_screen "Saved #2 (Temperature)."
check "the log shows it" wait_screen "#2     Temperature 36.5 °C"
type_text "382"; keys Enter
check "a fever raises the alert line" wait_screen "FEVER 38.2 °C (#3): keep the person aside."
check "with the recheck countdown" wait_screen "Recheck in 15:00 (F8)"
keys F8
check "an early recheck is refused with the time left" wait_screen "Too early: the recheck of #3 is due in 15:00."
type_text "36"; keys Enter
check "others are logged meanwhile" wait_screen "Saved #4 (Temperature)."
check "the fever alert stays up" on_screen "FEVER 38.2 °C (#3)"
type_text "29"; keys Enter
check "an implausible reading is not saved" wait_screen "Not saved"
check "and stays in the field to fix" on_screen "temperature °C▸ 29"
keys Escape
check "Esc on typing asks first" wait_screen "Esc again clears"
keys Escape
check "Esc again clears it" wait_screen "Cleared."
keys F10
check "nothing unsaved: F10 quits at once" wait_screen "EXITED 0"

TUI_ENV="OUTPOST_NOW=2026-03-01T08:16:00"
tui_start
wait_screen "The logbook is locked."
type_text "cold-night-42"; keys Enter
wait_screen "Sign in to start"
keys Enter
check "after the window: recheck due now" wait_screen "RECHECK DUE NOW: fever 38.2 °C (#3): press F8."
keys F8
check "the recheck form" wait_screen "Recheck of #3"
type_text "371"; keys Enter
type_text "p"
check "disposition completed from a prefix" wait_screen "→ pass"
keys Enter
check "recheck saved" wait_screen "Saved #5 (Temperature)."
check "the alert is gone" wait_gone "RECHECK DUE"
keys F10
check "the app exits 0" wait_screen "EXITED 0"

"$OUTPOST" list temp --format csv --passphrase-file "$PASS" 2>&1 | tr -d "\r" >"$T/temps"
sed 's/^/# /' "$T/temps"
# ref,version,kind,kind_label,action,created,operator,shift,change_reason,alert,deleted,
# value,method,method_label,person,recheck_of,disposition,disposition_label,...
check "four temperatures stored" test "$(grep -c ',temp,[^,]*,add,' "$T/temps")" -eq 4
check "the fever is stored as such" grep -q '^3,3,temp,[^,]*,add,2026-03-01T08:00:00[^,]*,Li,1,,,0,38.2,forehead,' "$T/temps"
check "the recheck points at the fever with its disposition" \
    grep -q '^5,5,temp,[^,]*,add,2026-03-01T08:16:00[^,]*,Li,1,,,0,37.1,,,,3,pass,' "$T/temps"
done_testing
