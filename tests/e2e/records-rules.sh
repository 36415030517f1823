#!/bin/sh
# records-rules.sh — issue 9 from the shell: a fever released as pass needs
# --override-reason (stored, in the report's own line); a triage route below the
# suggestion likewise; temperatures with every passage (--temp on visitors and residents as
# temp_required says, --driver-temp, --occupants = passengers with --occupant-temps), each
# fever waiting for its recheck; the same person cannot be inside twice; --operator ends the
# open shift with its handover.
. tests/e2e/lib.sh
cd "$T"
echo "correct horse battery staple" > pass
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
mk() { "$OUTPOST" init --db "$1" --station-kind "$2" --station "$3" --passphrase-file pass \
	--kdf test-cheap >/dev/null; }
DB=gate.db
op() { OUTPOST_NOW="${NOW:-2026-03-01T08:00:00}" "$OUTPOST" "$@" --db "$DB" --passphrase-file pass; }
visitor() { id=$1; shift; op add visitor --id-number "$id" --name 张三 --phone 13812345678 --host 3-2-301 \
	--health-code green "$@"; }
ID=11010519491231002X
ID2=110105194912310011

check "init a gate" mk gate.db gate 东门
expect_rc 0 "sign in" op shift start 王秀舟
# temperatures with passages
expect_rc 4 "a visitor without --temp is refused (temp_required=entries)" visitor "$ID"
check "saying so" grep -q -- "--temp: required" last.err
expect_rc 0 "a visitor with --temp" visitor "$ID" --temp 36.6
V1=$(cat last.out)
expect_rc 4 "the same person again while inside is refused" visitor "11010519491231002x" --temp 36.6
check "naming the earlier entry" grep -q "already inside (entry #$V1" last.err
expect_rc 0 "after the exit" op exit "$V1"
expect_rc 0 "the person may come in again, with a fever" visitor "$ID" --temp 38.3
FV=$(cat last.out)
check "the fever is said with its recheck" grep -q "Recheck due at" last.err
check "and waits for its recheck" [ "$(op list --rechecks --format json | py 'd[0]["ref"]')" = "$FV" ]
expect_rc 4 "a resident coming in without --temp is refused" op add resident --direction in --household 1-1-101
expect_rc 0 "going out needs none" op add resident --direction out --household 1-1-101
expect_rc 0 "temp_required=off" op settings set temp_required off
expect_rc 0 "then a visitor without one is stored" visitor "$ID2"
expect_rc 4 "a bad temp_required is refused" op settings set temp_required sometimes
expect_rc 0 "back to entries" op settings set temp_required entries
# a fever released as pass
NOW=2026-03-01T08:16:00
expect_rc 4 "a recheck still at 38.9 released as pass is refused" \
	op add temp --recheck "$FV" --temp 38.9 --disposition pass
check "asking for --override-reason" grep -q -- "--override-reason" last.err
check "nothing stored: it still waits" [ "$(op list --rechecks --format json | py 'len(d)')" -eq 1 ]
expect_rc 0 "with --override-reason it is stored" \
	op add temp --recheck "$FV" --temp 38.9 --disposition pass --override-reason "医生复核: 晒伤"
R=$(cat last.out)
check "and said" grep -q "Released despite fever" last.err
check "the reason is stored" [ "$(op list "$R" --format json | py 'd[0]["fields"]["override_reason"]')" = "医生复核: 晒伤" ]
check "the report counts it on its own line" sh -c "OUTPOST_NOW=2026-03-01T08:16:00 '$OUTPOST' report --db $DB --passphrase-file pass | grep -q 'released despite fever *1'"
check "and as JSON" [ "$(op report --format json | py 'd["released_despite_fever"]')" -eq 1 ]
# --operator ends the old shift with its handover
expect_rc 0 "add --operator Ping" op add temp --temp 36.4 --operator Ping
T1=$(cat last.out)
check "says the old shift ended with its handover" grep -q "shift .* of 王秀舟 ended with its handover" last.err
check "the record is exactly Ping's" [ "$(op list "$T1" --format json | py 'd[0]["operator"]')" = "Ping" ]
check "the handover is 王秀舟's" [ "$(op list handover --format json | py 'd[-1]["operator"]')" = "王秀舟" ]

# a traffic checkpoint: the driver and each passenger
DB=traffic.db
check "init a traffic checkpoint" mk traffic.db traffic G4
expect_rc 0 "sign in" op shift start 李
car() { op add vehicle --plate 粤B12345 --name 司机 --origin 深圳 --disposition pass "$@"; }
expect_rc 4 "a vehicle without --driver-temp is refused" car
expect_rc 0 "a driver alone" car --driver-temp 36.5
expect_rc 4 "three passengers need three temperatures" car --driver-temp 36.5 --occupants 3 \
	--occupant-temps 36.5,36.6
check "saying so" grep -q "3 passengers besides the driver" last.err
expect_rc 0 "a driver and 3 passengers, one feverish" car --driver-temp 36.5 --occupants 3 \
	--occupant-temps 36.5,38.4,36.6
VF=$(cat last.out)
check "the fever is said" grep -q "Fever: 38.4" last.err
check "stored as a fever" [ "$(op list "$VF" --format json | py 'd[0]["fields"]["fever"]')" = "1" ]
check "waiting for its recheck" [ "$(op list --rechecks --format json | py 'd[0]["ref"]')" = "$VF" ]
check "counted under fevers" [ "$(op report --format json | py 'd["fevers"]')" -eq 1 ]

# triage: a route below the suggestion
DB=triage.db
check "init a triage desk" mk triage.db triage 发热门诊
expect_rc 0 "sign in" op shift start 赵
expect_rc 4 "a febrile contact of a confirmed case sent to the general clinic is refused" \
	op add triage --name 病人 --temp 38.2 --epi contact_confirmed --route general_clinic
check "naming the suggestion and the flag" sh -c "grep -q fever_clinic last.err && grep -q -- --override-reason last.err"
expect_rc 0 "with --override-reason" op add triage --name 病人 --temp 38.2 \
	--epi contact_confirmed --route general_clinic --override-reason "fever clinic full, escorted"
check "the report counts the override" [ "$(op report --format json | py 'd["route_overrides"]')" -eq 1 ]
done_testing
