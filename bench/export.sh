#!/bin/sh
# export.sh — `outpost-hub export` side by side: for each N in $HUB_SIZES (default
# "100000 1000000") bench-hub fills an SQLite store and a PostgreSQL store (a throwaway
# cluster, fsync on, as bench/pg-read.sh) with N records from 200 stations over 28 days;
# then each hub binary given ($NEW, default $B/outpost-hub, and $OLD if set: another
# build, e.g. of the commit before a change) exports each store as csv, jsonl and xlsx to a
# file, $ROUNDS times (default 3) in turn, each as its own process under /usr/bin/time.
# Prints per binary × backend × format the median wall time and its rows/s, the median CPU
# of the hub process (user + system), of the PostgreSQL server (what the postmaster's
# children used meanwhile: the export's backend, and any autovacuum worker), and the
# largest peak RSS; and whether OLD and NEW wrote the same bytes (csv, jsonl). The "open"
# row is what any command pays before its first row (`stations`: unlocking the store,
# the passphrase's KDF), inside every export's figures. "µs/row" is the hub's CPU per row
# (both of its threads: the export reads the store on one while it writes on the other).
# EXPORT_STORES="STORE ..." exports stores already filled (by bench-hub; passphrase file
# $EXPORT_PASS) instead of filling new ones: a 10M store takes minutes to fill, so keep
# one and export it again. The PostgreSQL CPU of such a store is counted if EXPORT_PGDIR
# names its cluster's directory (data/ and the socket in it), else shown as -.
# EXPORT_PIPE=1 writes csv and jsonl to a pipe (`| wc -l`, as bench/series.sh counts the
# rows) instead of a file; the time is then that of the whole pipeline (the hub's CPU
# still its own: /usr/bin/time wraps the hub alone).
set -eu
B=${B:-build}
SIZES=${HUB_SIZES:-"100000 1000000"}
ROUNDS=${ROUNDS:-3}
NEW=${NEW:-$B/outpost-hub}
OLD=${OLD:-}
FORMATS=${EXPORT_FORMATS:-"csv jsonl xlsx"}
. tests/e2e/lib.sh
PG_FSYNC=on
. tests/helpers/pg-lib.sh
if [ -z "${EXPORT_STORES:-}" ]; then
	pg_available || { echo "bench/export.sh: PostgreSQL is not installed" >&2; exit 1; }
	cleanup_hooks="pg_stop"
	pg_start
	printf 'hub bench pass\n' >"$T/pass"
	chmod 600 "$T/pass"
	PASS=$T/pass
else
	PASS=${EXPORT_PASS:?EXPORT_STORES needs EXPORT_PASS}
	PGDIR=${EXPORT_PGDIR:-}
	pg_available || true
fi
tck=$(getconf CLK_TCK)

# The CPU seconds the postmaster's reaped children used so far.
server_cpu() {
	[ -n "$PGDIR" ] || { echo 0; return; }
	awk -v t="$tck" '{ printf "%.2f\n", ($16 + $17) / t }' "/proc/$(head -n 1 "$PGDIR/data/postmaster.pid")/stat"
}

# Waits for the export's backend to be gone (reaped: its CPU is then counted).
backends_gone() {
	[ -n "$PGDIR" ] || return 0
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	i=0
	while [ "$i" -lt 100 ]; do
		k=$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
		[ "$k" -eq 0 ] && break
		i=$((i + 1))
		sleep 0.1
	done
	sleep 0.2	# reaped after it left pg_stat_activity
}

# one BIN STORE FORMAT: appends "wall cpu server_cpu rss_kb" to $T/r.BIN-ID.
one() {
	bin=$1 store=$2 fmt=$3 tag=$4
	rm -f "$T/x.$tag.$fmt"
	s0=$(server_cpu)
	if [ "${EXPORT_PIPE:-0}" = 1 ] && [ "$fmt" != xlsx ]; then
		w0=$(date +%s.%N)
		{ /usr/bin/time -f "%e %U %S %M" -o "$T/time" "$bin" export --store "$store" \
		    --passphrase-file "$PASS" --format "$fmt" 2>"$T/err" || echo fail >"$T/failed"; } |
		    wc -l >"$T/x.$tag.$fmt"
		[ ! -e "$T/failed" ] || { echo "export failed: $(cat "$T/err")" >&2; exit 1; }
		w1=$(date +%s.%N)
		# the pipeline's wall time, in place of the hub's alone
		set -- $(cat "$T/time")
		echo "$(awk -v a="$w1" -v b="$w0" 'BEGIN { printf "%.2f", a - b }') $2 $3 $4" >"$T/time"
	else
		/usr/bin/time -f "%e %U %S %M" -o "$T/time" "$bin" export --store "$store" \
		    --passphrase-file "$PASS" --format "$fmt" --out "$T/x.$tag.$fmt" 2>"$T/err" \
		    >/dev/null || { echo "export failed: $(cat "$T/err")" >&2; exit 1; }
	fi
	case $store in postgresql:*) backends_gone; s1=$(server_cpu) ;; *) s1=$s0 ;; esac
	set -- $(cat "$T/time")
	echo "$1 $(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.2f", u + s }') $(awk -v a="$s1" -v b="$s0" 'BEGIN { printf "%.2f", a - b }') $4" >>"$T/r.$tag"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bins="new"
[ -n "$OLD" ] && bins="old new"
HEAD="| backend    | fmt   | bin  | wall (med) | rows/s    | hub CPU   | µs/row | PG CPU    | peak RSS  |
|------------|-------|------|------------|-----------|-----------|--------|-----------|-----------|"

# table BACKEND STORE N: the rows of one store's table (n: the records it holds, for xlsx).
table() {
	be=$1 st=$2 n=$3
	# what every command pays before the first row: unlocking the store (the KDF)
	/usr/bin/time -f "%e %U %S %M" -o "$T/time" "$NEW" stations --store "$st" \
	    --passphrase-file "$PASS" >/dev/null 2>&1
	set -- $(cat "$T/time")
	printf '| %-10s | open  | new  | %8.2f s |           | %7.2f s |        |           | %6.1f MB |\n' \
	    "$be" "$1" "$(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.2f", u + s }')" \
	    "$(awk -v k="$4" 'BEGIN { print k / 1024 }')"
	for fmt in $FORMATS; do
		for b in $bins; do rm -f "$T/r.$b"; done
		r=1
		while [ "$r" -le "$ROUNDS" ]; do
			for b in $bins; do
				[ "$b" = old ] && bin=$OLD || bin=$NEW
				one "$bin" "$st" "$fmt" "$b"
			done
			r=$((r + 1))
		done
		lines() { if [ "${EXPORT_PIPE:-0}" = 1 ]; then cat "$1"; else wc -l <"$1"; fi; }
		case $fmt in
		csv) rows=$(($(lines "$T/x.new.csv") - 1)); n=$rows ;;	# less the header
		jsonl) rows=$(lines "$T/x.new.jsonl") ;;
		*) rows=$n ;;	# the csv's when it ran before
		esac
		for b in $bins; do
			w=$(cut -d' ' -f1 "$T/r.$b" | median)
			c=$(cut -d' ' -f2 "$T/r.$b" | median)
			p=$(cut -d' ' -f3 "$T/r.$b" | median)
			m=$(cut -d' ' -f4 "$T/r.$b" | sort -n | tail -n 1)
			if [ "$be" = postgresql ] && [ -z "$PGDIR" ]; then p=-; else p="$p s"; fi
			printf '| %-10s | %-5s | %-4s | %8.2f s | %9.0f | %7.2f s | %6.2f | %9s | %6.1f MB |\n' \
			    "$be" "$fmt" "$b" "$w" \
			    "$(awk -v r="$rows" -v w="$w" 'BEGIN { print (w > 0 ? r / w : 0) }')" \
			    "$c" "$(awk -v r="$rows" -v c="$c" 'BEGIN { print c * 1e6 / r }')" \
			    "$p" "$(awk -v k="$m" 'BEGIN { print k / 1024 }')"
		done
		if [ -n "$OLD" ] && [ "$fmt" != xlsx ] && [ "${EXPORT_PIPE:-0}" != 1 ]; then
			if cmp -s "$T/x.old.$fmt" "$T/x.new.$fmt"; then same=identical; else same=DIFFERENT; fi
			echo "|            | $fmt: old and new output $same ($(wc -c <"$T/x.new.$fmt") bytes) | | | | | | | |"
		fi
	done
}

if [ -n "${EXPORT_STORES:-}" ]; then
	for st in $EXPORT_STORES; do
		case $st in postgresql:*) be=postgresql ;; *) be=sqlite ;; esac
		echo "### export of $st ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
		echo
		echo "$HEAD"
		table "$be" "$st" 0
		rm -f "$T"/x.*
		echo
	done
	exit 0
fi
for n in $SIZES; do
	pg_as "$PG_BIN/createdb" -h "$PGDIR" -U outpost "hub$n"
	PGS="postgresql:///hub$n?host=$PGDIR&user=outpost"
	SQS="$T/hub$n.db"
	echo "### export, $n records held ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
	echo
	$B/bench/bench-hub "$SQS" "$PASS" "$n" 200 | tail -n 1 | sed 's/^/    sqlite: /'
	$B/bench/bench-hub "$PGS" "$PASS" "$n" 200 | tail -n 1 | sed 's/^/    postgresql: /'
	"$PG_BIN/psql" -X -q -h "$PGDIR" -U outpost -d "hub$n" -c "VACUUM ANALYZE" >/dev/null
	echo
	echo "$HEAD"
	table sqlite "$SQS" "$n"
	table postgresql "$PGS" "$n"
	rm -f "$SQS" "$SQS-wal" "$SQS-shm" "$T"/x.*
	echo
done
