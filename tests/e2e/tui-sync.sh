#!/bin/sh
# TUI and the district hub: a station enrolled with a hub syncs in the background while
# records are logged (the status bar goes from waiting to 0 with the link up), the sync
# screen shows the pass, and the hub then holds exactly the station's records; with the hub
# gone the status bar says offline and typing goes on.
. tests/e2e/tui.inc
. tests/helpers/sync-lib.sh
cleanup_hooks="$cleanup_hooks hub_stop"
HS="$T/hub.db"
DB="$XDG_DATA_HOME/outpost/logbook.db"
PORT=$(free_port)
printf 'station secret phrase\n' >"$T/sp"

check "setup a gate" tui_setup gate "East Gate" "station secret phrase"
check "not enrolled: offline" on_screen "offline"
keys F10
check "the app exits 0" wait_screen "EXITED 0"
expect_rc 0 "hub init" hub_cmd "$HS" init --kdf test-cheap --endpoint "tcp://127.0.0.1:$PORT"
expect_rc 0 "hub enroll" hub_cmd "$HS" enroll --station east
TOKEN=$(tail -n 1 "$T/last.out")
check "hub serves" hub_start "$HS" "$PORT"
expect_rc 0 "the station enrolls" "$OUTPOST" enroll --db "$DB" --passphrase-file "$T/sp" "$TOKEN"

tui_start
wait_screen "The logbook is locked."
type_text "station secret phrase"; keys Enter
wait_screen "Sign in"; keys Enter
check "synced in the background after unlocking" wait_screen "to sync: 0 · link up" 20
type_text "365"; keys Enter
type_text "366"; keys Enter
type_text "382"; keys Enter
check "three saved" wait_screen "Saved #4 (Temperature)."
check "pushed at once: nothing waiting, link up" wait_screen "to sync: 0 · link up" 20
keys F9
check "sync screen" wait_screen "Sync with the district hub"
check "the last pass is shown" wait_screen "Last good pass: "
keys Escape
keys F10
check "the app exits 0" wait_screen "EXITED 0"
check "the hub holds exactly the station's records" same_records "$DB" "$HS" east

hub_stop
tui_start
wait_screen "The logbook is locked."
type_text "station secret phrase"; keys Enter
wait_screen "Sign in"; keys Enter
wait_screen "Today, newest first:"
type_text "367"; keys Enter
check "saved with the hub gone" wait_screen "Saved #5 (Temperature)."
check "the record waits, the link is down" wait_screen "to sync: 1 · offline" 30
type_text "368"; keys Enter
check "typing never waits for the network" wait_screen "Saved #6 (Temperature)." 3
keys F10
check "the app exits 0" wait_screen "EXITED 0"
done_testing
