#!/bin/sh
# The idle-lock minutes, a station setting: default 5, checked (0 to 120) by `outpost
# settings set` and by the TUI's settings screen at 80x24, applied by the TUI when saved (it
# says the time it now uses), read back by the CLI; OUTPOST_IDLE_SECONDS still overrides it.
. tests/e2e/tui.inc
DB="$T/lb.db"
PASS=$(pass_file "cold-night-42")
op() { "$OUTPOST" "$@" --db "$DB" --passphrase-file "$PASS"; }
get() { op settings get idle_lock_minutes; }

check "init a gate logbook" sh -c "'$OUTPOST' init --db '$DB' --station-kind gate --station 'East Gate' --passphrase-file '$PASS' --kdf test-cheap >/dev/null"
check "the default is 5 minutes" [ "$(get)" = 5 ]
expect_rc 0 "settings lists it" op settings get
check "with its meaning" grep -q "^idle_lock_minutes *5 .*screen locks" "$T/last.out"
expect_rc 4 "500 is refused" op settings set idle_lock_minutes 500
check "with a message saying what is allowed" grep -q "idle_lock_minutes must be a whole number from 0 to 120" "$T/last.err"
expect_rc 4 "a word is refused" op settings set idle_lock_minutes soon
expect_rc 4 "a negative number is refused" op settings set idle_lock_minutes -1
check "nothing refused was stored" [ "$(get)" = 5 ]
expect_rc 0 "0 (never) is stored" op settings set idle_lock_minutes 0
check "read back" [ "$(get)" = 0 ]

# the settings screen
unlock() {
	wait_screen "The logbook is locked." || return 1
	type_text "cold-night-42"; keys Enter
	wait_screen "Sign in to start" || return 1
	type_text "Li"; keys Enter
	wait_screen "Today, newest first:"
}
tui_start -- --db "$DB"
tm resize-window -t tui -x 80 -y 24
check "unlocked and signed in" unlock
keys F6
check "settings screen" wait_screen "Station settings"
check "shows the stored value" wait_screen "idle_lock_minutes  0"
keys Up	# from the first field to the last: the idle minutes
check "with its meaning under the form" wait_screen "idle minutes before the screen locks itself; 0: never"
keys C-u; type_text "500"; keys Enter
check "500 is refused on the screen" wait_screen "Not saved: idle_lock_minutes must be a whole number from 0 to 120"
check "the value typed stays in its field" on_screen "idle_lock_minutes▸ 500"
check "nothing was stored" [ "$(get)" = 0 ]
keys C-u; type_text "2"; keys Enter
check "saved and applied at once" wait_screen "Settings saved (1 changed). The screen now locks when idle for 2 min."
check "the CLI reads it back" [ "$(get)" = 2 ]
keys C-u; type_text "0"; keys Enter
check "0: never" wait_screen "The screen no longer locks by itself."
check "stored" [ "$(get)" = 0 ]
keys F10
check "the app exits 0" wait_screen "EXITED 0"

# the test override wins over the stored setting (0, never)
tui_start OUTPOST_IDLE_SECONDS=5 -- --db "$DB"
unlock
keys F6
wait_screen "Station settings"
keys Up C-u; type_text "9"; keys Enter
check "the override is the time used" wait_screen "The screen now locks when idle for 5 s."
check "the setting is stored all the same" [ "$(get)" = 9 ]
check "idle for 5 s locks by itself" wait_screen "The logbook is locked." 20
keys F10
check "quits cleanly" wait_screen "EXITED 0"
done_testing
