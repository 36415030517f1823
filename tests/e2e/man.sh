# man.sh — the man pages are lint-clean (mandoc -Tlint) and tell the truth about the
# commands: every command in --help is documented in the COMMANDS section, and nothing
# documented there is missing from --help.
. tests/e2e/lib.sh
for m in man/*.[158]; do
	check "$m is lint-clean" sh -c "mandoc -Tlint -W warning '$m' >'$T/lint' 2>&1; rc=\$?; cat '$T/lint' | sed 's/^/# /'; [ \$rc -eq 0 ] && [ ! -s '$T/lint' ]"
done
# pages_match PROGRAM MANPAGE
pages_match() {
	"$1" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [^ ]/ { print $1 }' | sort > "$T/help"
	sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' "$2" | awk '$1 == ".It" && $2 == "Cm" { print $3 }' | sort -u > "$T/man"
	if ! cmp -s "$T/help" "$T/man"; then
		diff "$T/help" "$T/man" | sed 's/^/# /'
		return 1
	fi
	[ -s "$T/help" ]
}
check "outpost --help and outpost(1) list the same commands" pages_match "$OUTPOST" man/outpost.1
if [ -f man/outpost-hub.8 ] && [ -x "$HUB" ]; then
	check "outpost-hub --help and outpost-hub(8) list the same commands" pages_match "$HUB" man/outpost-hub.8
fi
done_testing
