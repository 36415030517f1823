# exit-status.sh — one list of exit codes: the enum in base/err.h, the "Exit status:" line
# of both programs' --help, and the EXIT STATUS sections of outpost(1) and outpost-hub(8)
# name the same codes (and no 6: sync with nothing to do is a success).
. tests/e2e/lib.sh
hdr=$(sed -n 's/^[[:space:]]*E_[A-Z]* = \([0-9]*\),.*/\1/p' base/err.h | sort -n | tr '\n' ' ')
echo "# base/err.h: $hdr"
check "base/err.h lists the codes 0 to 5" test "$hdr" = "0 1 2 3 4 5 "
help_codes() {
	# the line as --help wraps it to 80 columns: up to the "See" line after it
	"$1" --help 2>&1 | sed -n '/^Exit status: /,/^See /p' | grep -v '^See ' | tr '\n' ' ' |
	    sed -n 's/^Exit status: //p' | tr ',' '\n' | sed -n 's/^ *\([0-9][0-9]*\) .*/\1/p' |
	    sort -n | tr '\n' ' '
}
man_codes() {
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$1" | sed -n 's/^\.It \([0-9][0-9]*\)$/\1/p' | sort -n | tr '\n' ' '
}
check "outpost --help lists the same codes" test "$(help_codes "$OUTPOST")" = "$hdr"
check "outpost-hub --help lists the same codes" test "$(help_codes "$HUB")" = "$hdr"
check "outpost(1) EXIT STATUS lists the same codes" test "$(man_codes man/outpost.1)" = "$hdr"
check "outpost-hub(8) EXIT STATUS lists the same codes" test "$(man_codes man/outpost-hub.8)" = "$hdr"
check "both --help lines are the one in base/err.h" test "$("$OUTPOST" --help | grep '^Exit status')" = "$("$HUB" --help 2>&1 | grep '^Exit status')"
check "outpost --help says sync has no exit 6" sh -c "! '$OUTPOST' --help | grep -A1 '^ *sync' | grep -q ' 6 '"
check "sync's usage names --watch" sh -c "'$OUTPOST' --help | grep -q 'sync.*--watch'"
done_testing
