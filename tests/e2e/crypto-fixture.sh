# crypto-fixture.sh — files made by an older build (tests/fixtures/format1, written with
# libsodium's XChaCha20-Poly1305 before the page cipher moved to OpenSSL's EVP) open and read
# back unchanged: the logbook's main file, its WAL frames, and a hub store.
. tests/e2e/lib.sh
FX=$PWD/tests/fixtures/format1
cd "$T"
cp "$FX/lb.db" "$FX/lb.db-wal" "$FX/hub.db" "$FX/pass" .
chmod 600 pass
sha_main=$(sha256sum < "$FX/lb.db")
export TZ=Asia/Shanghai

# The WAL first, read as it lies: its frames were sealed by the old build.
check "the old WAL holds frames" [ "$(stat -c %s lb.db-wal)" -gt 32 ]
expect_rc 0 "list reads every record" "$OUTPOST" list --db lb.db --passphrase-file pass
for s in 李警官 张三 11010519491231002X 粤B12345 36.4 38.1 "王五 WAL" 36.7; do
	check "list shows $s" grep -qF "$s" "$T/last.out"
done
check "six records, none lost" [ "$(grep -c '^[1-6] ' "$T/last.out")" -eq 6 ]
expect_rc 0 "check passes on the old file" "$OUTPOST" check --db lb.db --passphrase-file pass
check "check prints ok" [ "$(cat "$T/last.out")" = "ok" ]
expect_rc 0 "a new record is added to the old file" \
	"$OUTPOST" add temp --temp 36.5 --db lb.db --passphrase-file pass
expect_rc 0 "and read back beside the old ones" "$OUTPOST" list --db lb.db --passphrase-file pass
check "seven records" [ "$(grep -c '^[1-7] ' "$T/last.out")" -eq 7 ]

# The main file alone (as a copy without its WAL): the four checkpointed records.
mkdir alone && cp "$FX/lb.db" "$FX/pass" alone/ && chmod 600 alone/pass
check "the fixture itself was not changed" [ "$(sha256sum < "$FX/lb.db")" = "$sha_main" ]
expect_rc 0 "the main file alone opens" "$OUTPOST" list --db alone/lb.db --passphrase-file pass
check "with the four records it holds" [ "$(grep -c '^[1-4] ' "$T/last.out")" -eq 4 ]
lacks() { ! grep -qF "$1" "$2"; }
check "and not the WAL's" lacks "王五 WAL" "$T/last.out"

# A hub store.
expect_rc 0 "the old hub store opens" "$HUB" stations --store hub.db --passphrase-file pass
check "with its enrolled station" grep -qF "东门 fixture" "$T/last.out"
done_testing
