# pg-sync-faults.sh — tests/faults/sync-faults.sh with the hub on PostgreSQL: cuts and hub
# kills as on SQLite, plus a second hub process on the same store (killed and restarted;
# stations fail over to it) and PostgreSQL restarted while stations sync. Skips when the
# PostgreSQL server is not installed.
HUB_STORE=postgresql
SYNC_FAULT_ROUNDS=${SYNC_FAULT_ROUNDS:-100}	# fewer than on SQLite: each round costs more here
. tests/faults/sync-faults.sh
