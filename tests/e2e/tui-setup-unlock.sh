#!/bin/sh
# TUI: first-run setup (recovery key confirmed), then unlock with a wrong and a right
# passphrase, manual lock wipes the screen and keeps a half-typed form, idle auto-lock.
. tests/e2e/tui.inc
DB="$XDG_DATA_HOME/outpost/logbook.db"

tui_start
check "setup screen on first run" wait_screen "No logbook yet"
type_text "tr"; keys Enter
check "an ambiguous kind is pointed out" wait_screen "type traffic, gate or triage"
keys BTab BSpace BSpace; type_text "traffic"; keys Enter
type_text "G4 north"; keys Enter
type_text "short"; keys Enter
check "a short passphrase is refused as typed" wait_screen "at least 8 characters"
keys BTab C-u; type_text "right-horse-9"; keys Enter
type_text "right-horse-8"
check "differing passphrases are shown" wait_screen "the two passphrases differ"
keys BSpace; type_text "9"; keys Enter
check "the recovery key is shown once made" wait_screen "This is its recovery key" 20
check "the logbook file exists" test -s "$DB"
grp=$(screen_text | grep -oE '[A-Z0-9]{5}(-[A-Z0-9]{5}){7}' | head -1)
check "the key has eight groups" test -n "$grp"
keys F10
check "F10 on the recovery key asks first" wait_screen "The recovery key is shown only now"
check "and the key stays on screen" on_screen "$grp"
type_text "ZZZZZ"; keys Enter
check "a wrong first group is refused" wait_screen "not the first group"
keys BSpace BSpace BSpace BSpace BSpace; type_text "$(echo "$grp" | cut -c1-5)"; keys Enter
check "confirmed: sign-in" wait_screen "Sign in to start"
check "the key is no longer on screen" wait_gone "$grp"
type_text "Wang"; keys Enter
check "main screen of the traffic station" wait_screen "G4 north (traffic checkpoint) · Wang"
keys F10
check "quit" wait_screen "EXITED 0"

# unlock: wrong, then right; the shift of Wang goes on
tui_start
check "unlock screen on a later start" wait_screen "The logbook is locked."
type_text "wrong-horse"; keys Enter
check "wrong passphrase said plainly" wait_screen "Wrong passphrase or recovery key (1 try)"
check "the passphrase is never echoed" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q horse"
type_text "right-horse-9"; keys Enter
check "right passphrase: sign-in" wait_screen "Sign in to start"
check "the last operator is offered" wait_screen "Wang"
keys Enter
check "same operator continues the shift" wait_screen "your shift goes on"

# manual lock with a half-typed vehicle form
keys F7
type_text "粤B12345"
check "plate province shown as typed" wait_screen "广东 · Guangdong"
keys F12
check "locked" wait_screen "The logbook is locked."
check "lock wipes the plate from the screen" wait_gone "粤B12345"
check "lock wipes the station name" sh -c "! tmux -S '$_tsock' capture-pane -p -t tui | grep -q 'G4 north'"
type_text "right-horse-9"; keys Enter
check "unlock returns to the form" wait_screen "Unlocked."
check "the half-typed plate is still there" wait_screen "粤B12345"
keys F10
check "F10 with a half-typed form asks first" wait_screen "F10 again quits and loses it"
keys F10
check "F10 again quits" wait_screen "EXITED 0"

# idle auto-lock
tui_start OUTPOST_IDLE_SECONDS=4
wait_screen "The logbook is locked."
type_text "right-horse-9"; keys Enter
wait_screen "Sign in to start"
keys Enter
check "signed in again" wait_screen "Wang"
check "idle for 4 s locks by itself" wait_screen "The logbook is locked." 15
keys F10
check "quit from the lock screen" wait_screen "EXITED 0"

# the recovery key unlocks too
tui_start
wait_screen "The logbook is locked."
type_text "$grp"; keys Enter
check "the recovery key unlocks" wait_screen "Sign in to start"
keys F10
check "the app exits 0" wait_screen "EXITED 0"

# a signal ends the app cleanly (endwin: the shell's screen comes back)
tui_start
wait_screen "The logbook is locked."
pid=$(pgrep -P "$(tm display -p -t tui '#{pane_pid}')" -f outpost)
check "the app's process is found" test -n "$pid"
check "it can write no core dump (decrypted pages live in its memory)" \
	grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"
kill -TERM "$pid"
check "SIGTERM: clean exit" wait_screen "EXITED 0"

# files that are not a logbook are refused before the screen is taken over
printf 'SQLite format 3\000' >"$T/plain.db"
head -c 4096 /dev/zero >>"$T/plain.db"
expect_rc 3 "a plain SQLite file is refused" "$OUTPOST" --db "$T/plain.db"
check "and the message says what it is" grep -q "plain (unencrypted) SQLite" "$T/last.err"
expect_rc 1 "an unknown option is a usage error" "$OUTPOST" --colour
done_testing
