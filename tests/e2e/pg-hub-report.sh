# pg-hub-report.sh — tests/e2e/hub-report.sh with the hub on PostgreSQL (a throwaway cluster, see
# tests/helpers/sync-lib.sh); skips when the PostgreSQL server is not installed.
HUB_STORE=postgresql
. tests/e2e/hub-report.sh
