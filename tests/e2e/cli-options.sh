# cli-options.sh — one table per command: every command of both programs answers --help
# from its row, the man pages' synopses list exactly the options the rows give (and every
# field flag of add KIND), the old spellings still work as aliases, global options work
# before and after the command name, and the catalog is found beside the build tree.
. tests/e2e/lib.sh
cd "$T"
echo "correct horse battery staple" > pass
export LANGUAGE=en

commands() { "$1" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [^ ]/ { print $1 }'; }
# the options a command's --help lists (its own, not the global ones)
help_opts() {
	"$1" "$2" --help | sed -n '/^Options:/,/^$/p' | awk '/^  --/ { print substr($1, 3) }' | sort -u
}
# the --flags on a command's .It line in the COMMANDS section of a man page
man_opts() {
	sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' "$1" | awk -v c="$2" '$1 == ".It" && $2 == "Cm" && $3 == c' |
	    tr ' ' '\n' | awk 'prev == "Fl" && $0 ~ /^-[a-z]/ { print substr($0, 2) } { prev = $0 }' | sort -u
}
# same_opts PROGRAM MANPAGE COMMAND [EXTRA-ALLOWED-FILE]
same_opts() {
	help_opts "$1" "$3" > "$T/h.$3"
	man_opts "$2" "$3" > "$T/m.$3"
	if [ -n "$4" ]; then
		# add and correct: the man line may also name fields (--unverified, --note)
		comm -23 "$T/m.$3" "$4" > "$T/m2.$3"
		comm -12 "$T/m.$3" "$T/h.$3" > "$T/m3.$3"
		sort -u "$T/m2.$3" "$T/m3.$3" -o "$T/m.$3"
	fi
	if ! cmp -s "$T/h.$3" "$T/m.$3"; then
		echo "# $3: --help (<) and the man page (>) differ:"
		diff "$T/h.$3" "$T/m.$3" | sed 's/^/# /'
		return 1
	fi
}
helps() { "$1" "$2" --help > "$T/help.out" 2>&1 && grep -q "^usage: $(basename "$1") $2" "$T/help.out"; }

# every field flag of every kind, for add's and correct's lines
for k in temp vehicle resident visitor triage bin collection; do
	"$OUTPOST" add "$k" --help | sed -n '/^Fields of/,/^$/p' | awk '/^  --/ { print substr($1, 3) }'
done | sort -u > fields
check "add KIND --help lists fields" [ -s fields ]

for c in $(commands "$OUTPOST"); do
	check "outpost $c --help answers from its row" helps "$OUTPOST" "$c"
	case $c in
	add|correct) check "outpost(1) $c synopsis matches its row" same_opts "$OUTPOST" "$OUTPOST_TOP/man/outpost.1" "$c" "$T/fields" ;;
	*) check "outpost(1) $c synopsis matches its row" same_opts "$OUTPOST" "$OUTPOST_TOP/man/outpost.1" "$c" ;;
	esac
done
for c in $(commands "$HUB"); do
	check "outpost-hub $c --help answers from its row" helps "$HUB" "$c"
	check "outpost-hub(8) $c synopsis matches its row" same_opts "$HUB" "$OUTPOST_TOP/man/outpost-hub.8" "$c"
done

# every global option is in the man page's SYNOPSIS or DESCRIPTION
globals_documented() {
	"$1" --help | sed -n '/^Global options/,/^$/p' | awk '/^  --/ { print substr($1, 3) }' | sort -u > "$T/g"
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh COMMANDS/p' "$2" | tr ' ' '\n' | awk '/^-[a-z]/ { print substr($0, 2) }' | sort -u > "$T/gm"
	missing=$(comm -23 "$T/g" "$T/gm" | tr "\n" " ")
	[ -s "$T/g" ] && [ -z "$missing" ] || { echo "# not in $2: $missing"; return 1; }
}
check "outpost(1) documents every global option" globals_documented "$OUTPOST" "$OUTPOST_TOP/man/outpost.1"
check "outpost-hub(8) documents every global option" globals_documented "$HUB" "$OUTPOST_TOP/man/outpost-hub.8"

# every field flag of a kind is documented in add's entry of outpost(1)
kind_documented() {
	"$OUTPOST" add "$1" --help | sed -n '/^Fields of/,/^$/p' | awk '/^  --/ { print substr($1, 3) }' | sort -u > "$T/f.$1"
	sed -n "/^\.It Cm add /,/^\.It Cm exit/p" "$OUTPOST_TOP/man/outpost.1" | awk '$1 == ".Fl" || $1 == ".Pf" { for (i = 2; i <= NF; i++) if ($i ~ /^-[a-z]/) print substr($i, 2) }' | sort -u > "$T/d.$1"
	missing=$(comm -23 "$T/f.$1" "$T/d.$1" | tr "\n" " ")
	[ -z "$missing" ] || { echo "# add $1: not in outpost(1): $missing"; return 1; }
}
for k in temp vehicle resident visitor triage bin collection; do
	check "outpost(1) documents every flag of add $k" kind_documented "$k"
done

# the drift the issue lists: one name per field, the other kept as an alias
check "add temp --help names --temp (also --value)" sh -c "'$OUTPOST' add temp --help | grep -q -- '--temp .*(also --value)'"
check "add temp --help names --recheck" sh -c "'$OUTPOST' add temp --help | grep -q -- '^  --recheck '"
check "add vehicle --help names --driver-name (also --name)" sh -c "'$OUTPOST' add vehicle --help | grep -q -- '--driver-name .*(also --name)'"
check "passwd --help lists --old-passphrase-file" sh -c "'$OUTPOST' passwd --help | grep -q -- '--old-passphrase-file PATH'"
check "passwd --help lists --kdf" sh -c "'$OUTPOST' passwd --help | grep -q -- '--kdf default|test-cheap'"
check "top --help lists --batch" sh -c "'$HUB' top --help | grep -q -- '--batch'"
check "serve --help lists --quiet" sh -c "'$HUB' serve --help | grep -q -- '--quiet'"
check "the top-level --help shows every synopsis" sh -c "'$OUTPOST' --help | tr '\n' ' ' | tr -s ' ' | grep -q -- 'outpost passwd add|remove|list .*--old-passphrase-file PATH'"
# every line of every --help fits 80 columns, in both languages
fits80() {
	for l in en zh; do
		"$OUTPOST" --lang $l --help
		for c in $(commands "$OUTPOST"); do "$OUTPOST" --lang $l "$c" --help; done
		for k in temp vehicle resident visitor triage bin collection; do "$OUTPOST" --lang $l add $k --help; done
		"$HUB" --lang $l --help
		for c in $(commands "$HUB"); do "$HUB" --lang $l "$c" --help; done
	done > "$T/helps"
	python3 -c '
import sys, unicodedata
bad = [l for l in open(sys.argv[1], encoding="utf-8")
       if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) > 80]
for l in bad[:5]: print("# too wide:", l.rstrip())
sys.exit(1 if bad else 0)' "$T/helps" && [ "$(wc -l < "$T/helps")" -gt 500 ]
}
check "every --help line fits 80 columns, English and Chinese" fits80

# parsing comes from the same rows
"$OUTPOST" init --db t.db --station-kind gate --station G --passphrase-file pass --kdf test-cheap >/dev/null
expect_rc 0 "--value still works as an alias" "$OUTPOST" add temp --value 36.6 --db t.db --passphrase-file pass
expect_rc 0 "--temp=VALUE works" "$OUTPOST" add temp --temp=36.7 --db t.db --passphrase-file pass
expect_rc 1 "a missing required option is a usage error" "$OUTPOST" init --db u.db --station X --passphrase-file pass
check "it names the option" grep -q -- "--station-kind traffic|gate|triage is required" "$T/last.err"
expect_rc 1 "a value outside the choices is a usage error" "$OUTPOST" init --db u.db --station-kind farm --station X --passphrase-file pass
check "it names the choices" grep -q -- "--station-kind takes traffic/gate/triage, not 'farm'" "$T/last.err"
expect_rc 1 "an unknown option is a usage error" "$OUTPOST" check --db t.db --bogus
check "it says which" grep -q -- "unknown option --bogus" "$T/last.err"
expect_rc 1 "an unknown field is a usage error" "$OUTPOST" add temp --db t.db --passphrase-file pass --colour red
check "it points at add KIND --help" grep -q -- "outpost add temp --help" "$T/last.err"
expect_rc 1 "a switch given a value is a usage error" "$OUTPOST" sync --quiet=yes --db t.db
expect_rc 1 "an option given twice is a usage error" "$OUTPOST" list --limit 1 --limit 2 --db t.db

# global options before or after the command name
expect_rc 0 "--db and --passphrase-file before the command" "$OUTPOST" --db t.db --passphrase-file pass list temp
check "they reach the command" grep -q "36.7" "$T/last.out"
expect_rc 0 "--db=PATH before the command" "$OUTPOST" --db=t.db --passphrase-file=pass check
expect_rc 0 "--lang zh before the command" "$OUTPOST" --lang zh --db t.db --passphrase-file pass report
check "the report is in Chinese" grep -q "发热" "$T/last.out"
expect_rc 0 "--lang zh after the command" "$OUTPOST" report --lang zh --db t.db --passphrase-file pass
check "the report is in Chinese after too" grep -q "发热" "$T/last.out"
expect_rc 0 "--lang en under a Chinese locale" env LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN "$OUTPOST" report --lang en --db t.db --passphrase-file pass
check "the report is in English" grep -q "fevers" "$T/last.out"
expect_rc 1 "--lang fr is refused" "$OUTPOST" --lang fr report --db t.db --passphrase-file pass
expect_rc 0 "the hub takes --store before the command" "$HUB" --store h.db --passphrase-file pass init --kdf test-cheap
check "and made the store there" [ -f h.db ]
expect_rc 0 "and after it" "$HUB" stations --store h.db --lang zh --passphrase-file pass
check "in Chinese" grep -q "站点" "$T/last.out"

# the catalog beside the build tree, with no variable saying where
check "build/outpost --lang zh finds its catalog" sh -c "env -u OUTPOSTLOCALEDIR '$OUTPOST' --lang zh --help | grep -q '用法'"
check "outpost CMD --help in Chinese" sh -c "env -u OUTPOSTLOCALEDIR '$OUTPOST' --lang zh init --help | grep -q '用法'"
done_testing
