# crypto-errors.sh — I/O errors, wrong keys and damage each get their own message and exit
# code: read failures injected with libfiu (fiu-run, fiu-ctrl) into the logbook's reads at
# open and mid-session, and into the passphrase file's read, always say "cannot read" or
# "disk I/O error" and exit 5, never "not an outpost logbook", "wrong passphrase" or
# "damaged"; a wrong passphrase exits 2; a tampered page exits 3 "damaged", in `check`,
# in `list` and in the hub's `export`. Passphrase files: longer than 1023 bytes refused
# (never cut), readable by others warned about, a directory or a missing file named.
. tests/e2e/lib.sh
SQL=$PWD/$B/tests/helpers/lbsql
cd "$T"
if ! command -v fiu-run >/dev/null 2>&1 || ! command -v fiu-ctrl >/dev/null 2>&1; then
	echo "# fiu-utils is not installed (scripts/deps.sh installs it)"
	ok 1 "fiu-run and fiu-ctrl are available"
	done_testing
fi
# Under `make asan` the sanitizer's runtime must be the first library and reads files of its
# own, which fiu would fail too: the injections run in the plain build only.
FIU=1
if ldd "$OUTPOST" 2>/dev/null | grep -q libasan; then
	FIU=0
	echo "# a sanitizer build: the libfiu injections are left to the plain build"
fi
echo "correct horse battery staple" > pass
echo "wrong horse battery staple" > wrong
chmod 600 pass wrong
op() { "$OUTPOST" "$@" --db lb.db --passphrase-file pass; }
expect_rc 0 "init" "$OUTPOST" init --db lb.db --station-kind gate --station "East Gate" \
	--passphrase-file pass --kdf test-cheap
for t in 36.5 36.6 36.7; do op add temp --temp $t >/dev/null; done
cp lb.db good.db
# not_said FILE: none of the messages of another kind of failure is in FILE.
not_said() {
	! grep -q -e "not an outpost logbook" -e "wrong passphrase" -e "damaged" \
	    -e "truncated" -e "is empty" "$1"
}

# -- injected read failures (EIO) --
if [ $FIU -eq 1 ]; then
for fp in posix/io/rw/preadv posix/io/rw/pread; do
	expect_rc 5 "$fp failing at open: check exits 5" \
		fiu-run -x -c "enable name=$fp,failinfo=5" "$OUTPOST" check --db lb.db --passphrase-file pass
	check "and says it cannot read the logbook" grep -q "cannot read lb.db: Input/output error" "$T/last.err"
	check "not another kind of failure" not_said "$T/last.err"
	expect_rc 5 "$fp failing at open: list exits 5" \
		fiu-run -x -c "enable name=$fp,failinfo=5" "$OUTPOST" list --db lb.db --passphrase-file pass
	check "not another kind of failure" not_said "$T/last.err"
done
check "the file is unchanged by the failed reads" cmp -s lb.db good.db

# Mid-session: the unlock and the first query succeed, then every pread fails.
rm -f go go.ready
fiu-run -x "$SQL" lb.db pass sql "SELECT 1" wait "$T/go" sql "SELECT count(*) FROM records" \
	>mid.out 2>mid.err &
pid=$!
wait_for 20 [ -e go.ready ]
check "fiu-ctrl enables the failure in the running process" \
	fiu-ctrl -c "enable name=posix/io/rw/pread,failinfo=5" $pid
touch go
wait $pid
rc=$?
check "a read failing mid-session exits 5" [ "$rc" -eq 5 ]
check "as a disk I/O error" grep -q "disk I/O error" mid.err
check "not as damage (SQLite reads the unix VFS's EIO as a malformed database)" not_said mid.err

# Reads failing at random: whatever fails says an I/O error, never anything else.
bad=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	fiu-run -x -c "enable_random name=posix/io/rw/pread*,probability=0.2,failinfo=5" \
		"$OUTPOST" list --db lb.db --passphrase-file pass >r.out 2>r.err
	rc=$?
	if [ $rc -ne 0 ] && { [ $rc -ne 5 ] || ! not_said r.err; }; then
		bad=$((bad + 1)); sed 's/^/# /' r.err
	fi
done
check "12 runs with one read in five failing: each ends ok or with an I/O error" [ "$bad" -eq 0 ]

# The passphrase file's read failing.
expect_rc 5 "a failing read of the passphrase file exits 5" \
	fiu-run -x -c "enable name=posix/io/rw/read,failinfo=5" "$OUTPOST" check --db lb.db --passphrase-file pass
check "and says the passphrase could not be read" grep -q "cannot read the passphrase from pass" "$T/last.err"
check "not a wrong passphrase" not_said "$T/last.err"
fi

# -- a wrong key, and damage --
expect_rc 2 "a wrong passphrase exits 2" "$OUTPOST" check --db lb.db --passphrase-file wrong
check "and says so" grep -q "wrong passphrase" "$T/last.err"
# flip BYTE OFFSET FILE
flip() { b=$(od -An -tu1 -j "$1" -N1 "$2" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$2" bs=1 seek="$1" conv=notrunc 2>/dev/null; }
root=$("$SQL" lb.db pass sql "SELECT rootpage FROM sqlite_master WHERE name = 'records'")
check "the records table has a root page" [ "${root:-0}" -gt 1 ]
flip $((8192 + (root - 1) * 4096 + 200)) lb.db
expect_rc 3 "a tampered page: check exits 3" op check
check "and names the page" grep -q "damaged: page $root failed authentication" "$T/last.err"
expect_rc 3 "a tampered page: list exits 3" op list
check "as damage" grep -q "damaged: page $root" "$T/last.err"
cp good.db lb.db

# The hub: a tampered page of its store during export.
if [ -x "$HUB" ]; then
	cp pass hp
	"$HUB" init --store hub.db --passphrase-file hp --kdf test-cheap \
		--endpoint tcp://127.0.0.1:7 >/dev/null 2>&1
	"$HUB" enroll --store hub.db --passphrase-file hp --station "East Gate" >/dev/null 2>&1
	expect_rc 0 "the hub exports" "$HUB" export --store hub.db --passphrase-file hp --format csv
	hroot=$("$SQL" hub.db hp sql "SELECT rootpage FROM sqlite_master WHERE name = 'records'")
	check "the hub's records table has a root page" [ "${hroot:-0}" -gt 1 ]
	flip $((8192 + (hroot - 1) * 4096 + 200)) hub.db
	expect_rc 3 "a tampered hub page during export exits 3" \
		"$HUB" export --store hub.db --passphrase-file hp --format csv
	check "and says damaged, not disk I/O error" grep -q "damaged: page $hroot" "$T/last.err"
	sroot=$("$SQL" hub.db hp sql "SELECT rootpage FROM sqlite_master WHERE name = 'stations'")
	flip $((8192 + (sroot - 1) * 4096 + 200)) hub.db
	expect_rc 3 "a tampered page of the hub's stations: stations exits 3" \
		"$HUB" stations --store hub.db --passphrase-file hp
	check "and says damaged" grep -q "damaged: page $sroot" "$T/last.err"
fi

# -- passphrase files --
head -c 1023 /dev/zero | tr '\0' 'k' > long1023; chmod 600 long1023
{ cat long1023; echo; } > long1023nl; chmod 600 long1023nl
{ cat long1023; printf '\r\n'; } > long1023crlf; chmod 600 long1023crlf
{ cat long1023; echo k; } > long1024; chmod 600 long1024
expect_rc 0 "a 1023-byte passphrase is taken" "$OUTPOST" init --db long.db --station-kind gate \
	--station L --passphrase-file long1023nl --kdf test-cheap
expect_rc 0 "and opens the logbook" "$OUTPOST" check --db long.db --passphrase-file long1023
expect_rc 0 "with a Windows line end too" "$OUTPOST" check --db long.db --passphrase-file long1023crlf
expect_rc 4 "a 1024-byte passphrase is refused, not cut to the 1023 that open the logbook" \
	"$OUTPOST" check --db long.db --passphrase-file long1024
check "and says it is too long" grep -q "longer than 1023 bytes" "$T/last.err"
expect_rc 4 "init refuses it too" "$OUTPOST" init --db long2.db --station-kind gate \
	--station L --passphrase-file long1024 --kdf test-cheap
check "and makes no file" [ ! -e long2.db ]
cp pass open; chmod 644 open
expect_rc 0 "a passphrase file others can read still opens" "$OUTPOST" check --db lb.db --passphrase-file open
check "with a warning" grep -q "other users can read the passphrase file open" "$T/last.err"
check "saying how to fix it" grep -q "chmod 600 open" "$T/last.err"
expect_rc 0 "a private passphrase file" "$OUTPOST" check --db lb.db --passphrase-file pass
check "gets no warning" [ ! -s "$T/last.err" ]
mkdir adir
expect_rc 1 "a directory as the passphrase file exits 1" "$OUTPOST" check --db lb.db --passphrase-file adir
check "and says it is a directory" grep -q "adir is a directory" "$T/last.err"
check "not that the passphrase is empty" not_said "$T/last.err"
expect_rc 1 "a missing passphrase file exits 1" "$OUTPOST" check --db lb.db --passphrase-file nosuch
check "and says it does not exist" grep -q "nosuch does not exist" "$T/last.err"
: > empty; chmod 600 empty
expect_rc 1 "an empty passphrase file exits 1" "$OUTPOST" check --db lb.db --passphrase-file empty
check "and says it is empty" grep -q "passphrase from empty is empty" "$T/last.err"
done_testing
