# records-defaults.sh — what a scripting volunteer meets first: `add KIND --help` lists that
# kind's flags, and a visitor's ID type defaults to a mainland resident ID.
. tests/e2e/lib.sh
cd "$T"
echo "correct horse battery staple" > pass
A="--db lb.db --passphrase-file pass"
"$OUTPOST" init $A --station-kind gate --station G --kdf test-cheap >/dev/null
expect_rc 0 "add visitor --help" "$OUTPOST" add visitor --help
check "it lists the visitor's flags" grep -q -- "--health-code" "$T/last.out"
check "with their choices" grep -q "green|yellow|red" "$T/last.out"
check "and no computed field" sh -c "! grep -q -- '--quota-exceeded' '$T/last.out'"
expect_rc 0 "a visitor without --id-type is stored" "$OUTPOST" add visitor $A --name 张伟 \
	--id-number 11010519491231002X --phone 13800138000 --host 3-2-301 --health-code green \
	--temp 36.5
ref=$(cat "$T/last.out")
expect_rc 0 "list it as JSON" "$OUTPOST" list $A visitor --format json
check "its ID type is resident_id" grep -q '"id_type":"resident_id"' "$T/last.out"
expect_rc 4 "a resident ID with a wrong check character is still refused" "$OUTPOST" add visitor $A \
	--name 李四 --id-number 110105194912310021 --phone 13800138000 --host 3-2-301 --health-code green
check "naming the expected character" grep -q "should be X" "$T/last.err"
check "and the flag to fix" grep -q -- "--id-number: check character" "$T/last.err"
expect_rc 4 "a missing required field is refused" "$OUTPOST" add visitor $A --name 李四 \
	--id-number 11010519491231002X --phone 13800138000 --host 3-2-301
check "naming its flag" grep -q -- "--health-code: required" "$T/last.err"
check "the reference was printed" [ -n "$ref" ]
done_testing
