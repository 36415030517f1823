# records-concurrent.sh — two writers at once on one encrypted logbook (a script beside the
# TUI): every add succeeds, and seq stays one gap-free counter with no duplicates. Then a
# reader with a real (default-cost) passphrase, whose unlock takes long enough for the writer
# to add, checkpoint and close meanwhile: the file growing under the unlock is not truncation.
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

# The unlock reads the file's length, then spends Argon2id's time (a station's passphrase
# costs ~0.2 s and more) before it looks at page 1: each add of the writer meanwhile ends
# with the last connection's checkpoint, which grows the main file and removes the WAL.
echo "a station passphrase of default cost" > slow
chmod 600 slow
expect_rc 0 "a second passphrase of the default cost" "$OUTPOST" passwd add --db lb.db \
	--passphrase-file pass --new-passphrase-file slow --kdf default
reader() {
	i=0
	while [ $i -lt 6 ]; do
		"$OUTPOST" list --db lb.db --passphrase-file slow >/dev/null 2>>err.r ||
			echo "failed $i" >>err.r
		i=$((i + 1))
	done
	touch reader.done
}
reader &
pr=$!
i=0
while [ ! -e reader.done ] && [ $i -lt 2000 ]; do
	"$OUTPOST" add visitor --name "访客$i" --id-type passport --id-number "E$(printf %08d $i)" \
		--phone 13800138000 --host 3-2-301 --health-code green --temp 36.5 \
		--db lb.db --passphrase-file pass >/dev/null 2>>err.w || echo "failed $i" >>err.w
	i=$((i + 1))
done
wait $pr
check "the writer added while the reader unlocked ($i adds)" [ "$i" -gt 6 ]
check "no add of the writer failed$(said err.w)" test ! -s err.w
check "no list of the slow reader failed$(said err.r)" test ! -s err.r
check "the logbook still checks ok" "$OUTPOST" check --db lb.db --passphrase-file pass
done_testing
