# pg-redact.sh — a PostgreSQL store address with a password (postgresql://user:PASS@…)
# never shows the password: init prints the address with *** in its place, and an error
# that quotes the address (libpq: 'invalid percent-encoded token: "…"') is scrubbed.
HUB_STORE=postgresql
. tests/e2e/lib.sh
. tests/helpers/sync-lib.sh
chmod 600 "$T/hp"
pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost hub >/dev/null 2>&1
# the cluster trusts its socket's owner: the password is carried, never checked
URL="postgresql://outpost:Hunter2secret@/hub?host=$PGDIR"
expect_rc 0 "hub init with a password in the address" hub_cmd "$URL" init --kdf test-cheap \
    --endpoint tcp://127.0.0.1:1
check "init names the store with *** for the password" \
    grep -qF "Created the hub store postgresql://outpost:***@/hub?host=$PGDIR." "$T/last.out"
check "… and never the password" sh -c "! grep -q Hunter2secret '$T/last.out' '$T/last.err'"
expect_rc 0 "the store opens with it" hub_cmd "$URL" stations
expect_rc 0 "and with the password as a parameter" \
    hub_cmd "postgresql:///hub?host=$PGDIR&user=outpost&password=Hunter2secret" stations
expect_rc 5 "a malformed password: an I/O error" \
    hub_cmd "postgresql://outpost:Hunter%zzsecret@/hub?host=$PGDIR" stations
check "… whose message does not quote it" sh -c "! grep -q 'zzsecret' '$T/last.err'"
check "… and says where it was" grep -q 'percent-encoded token: "\*\*\*"' "$T/last.err"
sed 's/^/#   /' "$T/last.err"
done_testing
