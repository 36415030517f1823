# shell-hygiene.sh — the shell tests can fail: `check` and `expect_rc` take one simple
# command (a `&&`, `||` or `|` after one leaves the rest unasserted), every
# `wait_screen "EXITED N"` is asserted, and check itself fails loudly when misused.
. tests/e2e/lib.sh
cat >"$T/lint.py" <<'PY'
import shlex, sys
bad = 0
for path in sys.argv[1:]:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        start, line = i + 1, lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        i += 1
        try:
            lx = shlex.shlex(line, posix=True, punctuation_chars=True)
            lx.whitespace_split = True
            lx.commenters = "#"
            toks = list(lx)
        except ValueError:
            continue  # a quote spanning lines: not a simple command line
        for j, t in enumerate(toks):
            if t not in ("check", "expect_rc") or (j > 0 and toks[j - 1] not in (";", "then", "do", "else", "{", "(")):
                continue
            rest = toks[j + 1:]
            for k, r in enumerate(rest):
                if r in (";", ";;", "then", "do", "fi", "done"):
                    break
                if r in ("&&", "||", "|"):
                    print(f"{path}:{start}: {t} followed by {r}: the rest is not asserted")
                    bad = 1
                    break
        if "wait_screen" in toks:
            j = toks.index("wait_screen")
            if j + 1 < len(toks) and toks[j + 1].startswith("EXITED") and "check" not in toks[:j]:
                print(f"{path}:{start}: wait_screen \"{toks[j + 1]}\" is not asserted")
                bad = 1
sys.exit(bad)
PY
python3 "$T/lint.py" tests/e2e/*.sh tests/e2e/*.inc tests/faults/*.sh tests/helpers/*.sh >"$T/hyg"
rc=$?
sed 's/^/# /' "$T/hyg"
ok $rc "no check or expect_rc followed by &&, || or |; every EXITED asserted"

# check itself: each probe sources lib.sh in a shell of its own and reads its TAP line
check "check fails without a command" sh -c "(. tests/e2e/lib.sh; check 'x') | grep -qxF 'not ok 1 - x (check: no command given)'"
check "check fails on [ without ]" sh -c "(. tests/e2e/lib.sh; check 'x' [ 1 -eq 1 ) | grep -qxF 'not ok 1 - x (check: [ without its closing ])'"
check "check passes a true predicate" sh -c "(. tests/e2e/lib.sh; check 'x' [ 1 -eq 1 ]) | grep -qx 'ok 1 - x'"
check "check fails a false predicate" sh -c "(. tests/e2e/lib.sh; check 'x' [ 1 -eq 2 ]) | grep -qx 'not ok 1 - x'"
check "check returns the predicate's status" sh -c "(. tests/e2e/lib.sh; check 'x' false >/dev/null; [ \$? -eq 1 ])"
# the lint flags the forms it is meant to, and only those
printf '%s\n' 'check "a" [ 1 ] && [ 2 ]' 'wait_screen "EXITED 0"' 'check "b" sh -c "[ 1 ] && [ 2 ]"' \
    'check "c" wait_screen "EXITED 0"' 'expect_rc 0 "d" true || true' >"$T/planted.sh"
python3 "$T/lint.py" "$T/planted.sh" >"$T/planted.out"
check "the lint fails on planted misuse" test $? -eq 1
check "… naming lines 1, 2 and 5 and no other" sh -c "cut -d: -f2 '$T/planted.out' | tr '\n' ' ' | grep -qx '1 2 5 '"
done_testing
