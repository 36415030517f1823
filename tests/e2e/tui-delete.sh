#!/bin/sh
# TUI, at 80x24: a wrong record deleted from its detail screen, with a reason and a
# confirmation: an empty reason is refused and the dialog stays, Esc cancels and changes
# nothing, the record leaves the search and today's list, the CLI shows the tombstone with its
# reason; a record deleted meanwhile elsewhere is refused with a message and no Delete key.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"
PASS=$(pass_file "cold-night-42")
export OUTPOST_NOW=2026-03-01T09:30:00
op() { "$OUTPOST" "$@" --db "$DB" --passphrase-file "$PASS"; }
visitor() { op add visitor --id-type resident_id --id-number "$3" --temp 36.5 \
	--phone "$2" --host 3-2-301 --health-code green --name "$1"; }

TUI_ENV="OUTPOST_NOW=$OUTPOST_NOW"
check "setup a gate" tui_setup gate "East Gate" "cold-night-42"
A=$(visitor 张三 13812345678 11010519491231002X)
B=$(visitor 王五 13812345679 110105194912310011)
check "a first visitor added by the CLI" test -n "$A"
check "a second visitor added by the CLI" test -n "$B"
tm resize-window -t tui -x 80 -y 24

keys F2
wait_screen "the start of it is enough"
type_text "张"
check "search finds the visitor" wait_screen "1 found"
keys Enter
check "detail with history" wait_screen "History"
check "the key bar offers Delete" sh -c "tmux -S '$_tsock' capture-pane -p -t tui | sed -n 24p | grep -q 'F8 Delete'"
keys F1
check "help lists the Delete key" wait_screen "Delete this record: a reason, a confirmation"
keys Escape
wait_screen "History"

# an empty reason, then spaces only: refused, the dialog stays
keys F8
check "the delete dialog asks for a reason" wait_screen "Reason for deleting"
check "and says what deleting does" on_screen "The history keeps it, with the reason."
check "Delete is not offered again inside the dialog" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | sed -n 24p | grep -q 'F8 Delete'"
keys Enter
check "an empty reason is refused" wait_screen "Not deleted: a deletion needs a reason."
check "the dialog stays open" on_screen "Reason for deleting"
type_text "   "; keys Enter
check "spaces are no reason either" wait_screen "Not deleted: a deletion needs a reason."
check "no confirmation was asked" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'y: delete'"

# Esc cancels: nothing stored
keys C-u; type_text "typed by mistake"; keys Escape
check "Esc cancels the dialog" wait_screen "Deletion cancelled: nothing was changed."
check "the record is shown again" on_screen "History"
check "nothing was deleted" sh -c "! \"$OUTPOST\" list $A --history --db '$DB' --passphrase-file '$PASS' | grep -q deleted"

# the reason, the confirmation (a stray key and Esc there delete nothing), then y
keys F8
wait_screen "Reason for deleting"
check "a new dialog starts empty" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'typed by mistake'"
type_text "  duplicate of $B "; keys Enter
check "a confirmation is asked" wait_screen "Delete #$A now? y: delete"
keys x
keys Escape
check "Esc at the confirmation goes back to the reason" wait_screen "Enter: go on"
check "the reason is kept as typed" on_screen "duplicate of $B"
check "the stray key and Esc deleted nothing" sh -c "! \"$OUTPOST\" list $A --history --db '$DB' --passphrase-file '$PASS' | grep -q deleted"
keys Enter
wait_screen "y: delete"
keys y
check "deleted, back to the search" wait_screen "Deleted #$A (tombstone #"
check "the search no longer finds it" wait_screen "0 found"
keys Escape
check "today's list still shows the other visitor" wait_screen "王五"
check "but not the deleted one" wait_gone "张三"

# what the CLI sees
op list visitor >"$T/list"
check "outpost list leaves it out" sh -c "grep -q 王五 '$T/list' && ! grep -q 张三 '$T/list'"
op list "$A" >"$T/show"
check "outpost list REF shows the tombstone" grep -q "(deleted)" "$T/show"
check "with the reason, trimmed" grep -q "reason: *duplicate of $B\$" "$T/show"
op list "$A" --history --format json >"$T/hist.json"
check "the history keeps the first version and the tombstone" python3 -c "
import json; d = json.load(open('$T/hist.json'))
assert [v['action'] for v in d] == ['add', 'delete'], d
assert d[0]['fields']['name'] == '张三' and d[1]['deleted'] and d[1]['operator'] == 'Li'
assert d[1]['reason'] == 'duplicate of $B', d[1]['reason']"

# deleted elsewhere while its detail is open: storage refuses, the screen says so
keys F2
type_text "王"
wait_screen "1 found"
keys Enter
wait_screen "History"
op correct "$B" --delete --reason "left by the other door" >/dev/null
keys F8
wait_screen "Reason for deleting"
type_text "again"; keys Enter
wait_screen "y: delete"
keys y
check "a record deleted meanwhile is refused with a message" wait_screen "Not deleted: record $B is already deleted"
check "the detail shows it deleted, with the reason" wait_screen "DELETED: left by the other door"
check "and offers no Delete (nor Correct)" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | sed -n 24p | grep -qE 'F8 Delete|F9 Correct'"
keys F8 F1	# once the help shows, F8 has been handled
wait_screen "Keys of the screen"
keys Escape
wait_screen "History"
check "F8 opens no dialog on a deleted record" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'Reason for deleting'"
check "only one tombstone was stored" [ "$(op list "$B" --history --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 2 ]
keys F10
check "quits cleanly" wait_screen "EXITED 0"
done_testing
