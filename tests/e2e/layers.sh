#!/bin/sh
# layers.sh — each layer includes only the layers above it (ARCHITECTURE.md): base ← crypto ←
# storage ← sync ← hub, and tui talks only to storage/ and sync/ (and base/); cli/ is on top
# of all. Fails on the first #include "LAYER/…" a file may not have, naming it.
. tests/e2e/lib.sh

# allowed LAYER: the layers its files may include
allowed() {
	case $1 in
	base) echo "base" ;;
	crypto) echo "base crypto" ;;
	storage) echo "base crypto storage" ;;
	sync) echo "base crypto storage sync" ;;
	hub) echo "base crypto storage sync hub" ;;
	tui) echo "base storage sync tui" ;;
	esac
}

bad=""
for layer in base crypto storage sync hub tui; do
	ok=$(allowed "$layer")
	for f in "$layer"/*.c "$layer"/*.h; do
		[ -f "$f" ] || continue
		for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
			case " $ok " in
			*" $inc "*) ;;
			*) bad="$bad $f→$inc/" ;;
			esac
		done
	done
done
check "no layer includes a layer below it or beside it${bad:+ (found:$bad)}" [ -z "$bad" ]
# the check itself bites: a tui file that named crypto/ would be found
printf '#include "crypto/vault.h"\n' >"$T/probe.c"
check "the include scan sees a crypto/ include" \
    [ "$(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$T/probe.c")" = crypto ]
done_testing
