# records-concurrent.sh — two writers at once on one encrypted logbook (a script beside the
# TUI): every add succeeds, and seq stays one gap-free counter with no duplicates.
. tests/e2e/lib.sh
cd "$T"
echo "correct horse battery staple" > pass
chmod 600 pass	# a readable passphrase file is warned about on stderr
export TZ=Asia/Shanghai OUTPOST_NOW=2026-03-01T08:00:00
"$OUTPOST" init --db lb.db --station-kind gate --station "西门" --passphrase-file pass \
	--kdf test-cheap >/dev/null
writer() {
	i=0
	while [ $i -lt 20 ]; do
		"$OUTPOST" add temp --temp 36.$((i % 10)) --db lb.db --passphrase-file pass \
			>>"out.$1" 2>>"err.$1" || echo "failed $i" >>"err.$1"
		i=$((i + 1))
	done
}
writer a &
pa=$!
writer b &
pb=$!
wait $pa
wait $pb
# a failure names what the add said (its first lines), so a rare one can be read in CI's log
said() { [ -s "$1" ] && printf ' (%s)' "$(head -n 3 "$1" | tr '\n' ' ')"; }
check "no add of writer a failed$(said err.a)" test ! -s err.a
check "no add of writer b failed$(said err.b)" test ! -s err.b
check "every add printed a reference" [ "$(cat out.a out.b | wc -l)" -eq 40 ]
check "references are unique and gap-free, 1..40" \
	[ "$(cat out.a out.b | sort -n | tr '\n' ' ')" = "$(seq 1 40 | tr '\n' ' ')" ]
check "each writer's references increase" sh -c 'sort -nc out.a && sort -nc out.b'
check "the logbook checks ok" "$OUTPOST" check --db lb.db --passphrase-file pass
done_testing
