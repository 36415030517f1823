#!/bin/sh
# TUI: a bin registered and collected, search as you type, a correction with its reason
# (the history keeps both versions), the day's report with its hourly chart, and the shift
# handover; the logbook holds all of it.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"
LBSQL="$PWD/$B/tests/helpers/lbsql"
PASS=$(pass_file "cold-night-42")

TUI_ENV="OUTPOST_NOW=2026-03-01T09:30:00"
check "setup a gate" tui_setup gate "East Gate" "cold-night-42"

# bins
keys F4
check "bins: an empty registry" wait_screen "No bins yet"
keys F7
check "the new-bin form" wait_screen "Register a new bin"
type_text "B-01"; keys Enter; type_text "north door"; keys Enter
check "bin registered, saying the code is kept as B01" wait_screen "Saved #2 (Bin) as B01"
check "listed, never collected" wait_screen "north door                never"
keys Enter
check "collection form with the bin filled in" wait_screen "Record a collection"
type_text "3"; keys Enter; type_text "4.5"; keys Enter; type_text "80"; keys Enter
type_text "84 disinfectant"; keys Enter; type_text "S123"; keys Enter; type_text "Zhao"
keys Enter
check "collection saved" wait_screen "Saved #3 (Collection)."
check "last collection shown" wait_screen "03-01 09:30"
keys Escape

# a visitor to search for
keys F7 F7
type_text "11010519491231002X"; keys Enter Enter
type_text "张三丰"; keys Enter; type_text "13812345678"; keys Enter; type_text "365"; keys Enter Enter
type_text "3-2-301"; keys Enter Enter; type_text "g"; keys C-s
check "visitor saved" wait_screen "Saved #4 (Visitor)."
type_text "zz"; keys Escape
check "Esc on typing asks first" wait_screen "Esc again clears what is typed"
check "and keeps the typing" on_screen "ID number▸ ZZ"
keys Escape
check "Esc again clears the form" wait_screen "Cleared."
keys F7
type_text "365"; keys Enter
wait_screen "Saved #5"
type_text "383"; keys Enter
wait_screen "FEVER 38.3"

# search as you type (Ctrl-F: the mnemonic for terminals without F-keys)
keys C-f
check "search screen" wait_screen "the start of it is enough"
type_text "张"
check "a name prefix finds the visitor" wait_screen "1 found"
keys BSpace; type_text "1381"
check "a phone prefix finds it too" wait_screen "张三丰"
keys BSpace BSpace BSpace BSpace; type_text "9999"
check "nothing for an unknown prefix" wait_screen "0 found"
keys C-u; type_text "110105"
wait_screen "1 found"
keys Enter
check "detail with history" wait_screen "History"
keys F9
check "correction form" wait_screen "Reason for the correction"
keys Tab Tab C-u; type_text "张三"
keys C-s
check "a correction needs a reason" wait_screen "Not saved: a correction needs a reason."
type_text "name misspelt"; keys Enter
check "corrected as a new version" wait_screen "Corrected: new version #7."
check "the history keeps the reason" wait_screen "corrected  Li  — name misspelt"
keys Escape
check "search shows the corrected name" wait_screen "张三 "
keys Escape

# report of the day (Ctrl-R)
keys C-r
check "report of today" wait_screen "Report: today"
check "counts per kind" wait_screen "Temperature 2   Vehicle 0   Resident 0   Visitor 1"
check "fevers waiting" wait_screen "Fevers 1   rechecked 0   waiting for recheck 1"
check "bins" wait_screen "Bins collected 1"
check "hourly chart with its axis" wait_screen "00       03       06       09"
check "fevers marked in the chart" on_screen "!!"
keys Tab
check "report of this shift" wait_screen "Report: this shift"
keys F9
type_text "bin B-01 full again by noon"; keys Enter
check "handover ends the shift" wait_screen "Shift handed over"
check "the next operator signs in" wait_screen "Sign in to start"
type_text "Zhou"; keys Enter
wait_screen "East Gate (compound gate) · Zhou"
keys F10
check "the app exits 0" wait_screen "EXITED 0"

# a day later the bin is overdue
TUI_ENV="OUTPOST_NOW=2026-03-02T10:00:00"
tui_start
wait_screen "The logbook is locked."
type_text "cold-night-42"; keys Enter; wait_screen "Sign in"; keys Enter
wait_screen "Today, newest first:"
keys C-b
check "a day later: the bin is overdue" wait_screen "Bins: 1, overdue: 1"
check "and marked so" on_screen "03-02 09:30 OVERDUE"
check "overdue in the alert colour" sh -c "tmux -S '$_tsock' capture-pane -e -p -t tui | grep 'OVERDUE' | grep -q '41m'"
keys Escape F10
check "the app exits 0" wait_screen "EXITED 0"

"$LBSQL" "$DB" "$PASS" sql "SELECT seq, kind, action, ref_seq FROM records ORDER BY seq" \
    >"$T/rows" 2>&1
sed 's/^/# /' "$T/rows"
check "bin and collection stored" grep -q "^3	collection	add" "$T/rows"
check "the correction supersedes the visitor" grep -q "^7	visitor	correct	4$" "$T/rows"
check "handover then a new sign-in" sh -c "grep -q '^8	handover' '$T/rows' && grep -q '^9	signin' '$T/rows'"
done_testing
