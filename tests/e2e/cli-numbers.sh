# cli-numbers.sh — numbers on the command line go through base/'s strict parser: a word,
# a trailing letter, a sign or a number out of range is refused with exit 4 and a message
# that names the option and says what to type, before anything is opened (atoi took
# "10x" as 10 and "abc" as 0, so `serve --heartbeat-ms 10x` served). The same for the
# full-screen app's OUTPOST_IDLE_SECONDS and OUTPOST_CACHE_KIB.
. tests/e2e/lib.sh
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass
export LANGUAGE=en
# refused CODE WORDS DESCRIPTION COMMAND...: exit CODE and stderr says WORDS
refused() {
	want=$1 words=$2 d=$3
	shift 3
	expect_rc "$want" "$d" timeout 30 "$@"
	check "$d: says '$words'" grep -q -- "$words" "$T/last.err"
}
refused 4 "--heartbeat-ms: '10x' is not a whole number" "serve --heartbeat-ms 10x" \
    "$HUB" serve --store h.db --passphrase-file pass --listen tcp://127.0.0.1:1 \
    --heartbeat-ms 10x
refused 4 "--heartbeat-ms: 5 is out of range: use 100 to 60000" "serve --heartbeat-ms 5" \
    "$HUB" serve --store h.db --passphrase-file pass --listen tcp://127.0.0.1:1 \
    --heartbeat-ms 5
refused 4 "--interval: 0 is out of range: use 1 to 3600" "top --interval 0" \
    "$HUB" top --store h.db --passphrase-file pass --interval 0
refused 4 "--interval: 'two' is not a whole number" "top --interval two" \
    "$HUB" top --store h.db --passphrase-file pass --interval two
refused 4 "--interval: 99999999999999999999 is out of range" "top --interval (overflow)" \
    "$HUB" top --store h.db --passphrase-file pass --interval 99999999999999999999
refused 4 "--timeout: -3 is out of range: use 1 to 3600" "enroll --timeout -3" \
    "$OUTPOST" enroll --db st.db --passphrase-file pass --timeout -3 TOKEN
refused 4 "--timeout: '5s' is not a whole number" "enroll --timeout 5s" \
    "$OUTPOST" enroll --db st.db --passphrase-file pass --timeout 5s TOKEN
# the full-screen app's overrides from the environment, before it wants a terminal
refused 4 "OUTPOST_IDLE_SECONDS: '5s' is not a whole number" "the app with OUTPOST_IDLE_SECONDS=5s" \
    env OUTPOST_IDLE_SECONDS=5s "$OUTPOST" --db st.db
refused 4 "OUTPOST_CACHE_KIB: 10 is out of range: use 64 to" "the app with OUTPOST_CACHE_KIB=10" \
    env OUTPOST_CACHE_KIB=10 "$OUTPOST" --db st.db
check "nothing was created by a refused command" sh -c '! ls h.db st.db 2>/dev/null'
done_testing
