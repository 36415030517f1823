#!/bin/sh
# When the terminal goes away without a SIGHUP (its pty's other side closed while outpost is
# not the pty's session leader, or input at end), the TUI locks, closes the logbook and exits
# instead of spinning on read() returning nothing.
. tests/e2e/lib.sh
DB="$T/lb.db"
printf "%s\n" cold-night-42 >"$T/pass"; PASS="$T/pass"
check "init a gate logbook" sh -c "'$OUTPOST' init --db '$DB' --station-kind gate --station 'East Gate' --passphrase-file '$PASS' --kdf test-cheap >/dev/null"
# drive.py: runs outpost on a fresh pty that is NOT its controlling terminal (so closing the
# master sends no SIGHUP), unlocks and signs in, then closes the master and reports whether
# the process exited, its exit code and the CPU it used after the close.
cat >"$T/drive.py" <<'PY'
import os, subprocess, sys, time, select
outpost, db, mode = sys.argv[1], sys.argv[2], sys.argv[3]
m, s = os.openpty()
os.system("stty -F %s rows 24 cols 80" % os.ttyname(s))
env = dict(os.environ, TERM="xterm", OUTPOST_KDF="test-cheap")
p = subprocess.Popen([outpost, "--db", db], stdin=s, stdout=s, stderr=s, env=env,
                     close_fds=True)
os.close(s)
buf = b""
def wait_for(text, secs=20):
    global buf
    end = time.time() + secs
    while time.time() < end:
        r, _, _ = select.select([m], [], [], 0.2)
        if r:
            try:
                buf += os.read(m, 65536)
            except OSError:
                return False
            if text in buf:
                return True
    return False
ok = wait_for(b"locked")
os.write(m, b"cold-night-42\r")
ok = ok and wait_for(b"Sign in")
os.write(m, b"Li\r")
ok = ok and wait_for(b"newest first")
print("signed_in", int(ok))
def cpu(pid):
    try:
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])
    except OSError:
        return -1
c0 = cpu(p.pid)
os.close(m)
try:
    rc = p.wait(timeout=10)
    print("exited", 1, "rc", rc)
except subprocess.TimeoutExpired:
    time.sleep(1)
    print("exited", 0, "cpu_ticks_after_close", cpu(p.pid) - c0)
    p.kill()
    p.wait()
PY
python3 "$T/drive.py" "$OUTPOST" "$DB" close >"$T/out" 2>&1
sed 's/^/# /' "$T/out"
check "signed in on the pty" grep -q "^signed_in 1" "$T/out"
check "the TUI exits when the terminal's other side closes" grep -q "^exited 1" "$T/out"
check "with exit code 5 (I/O: the terminal went away)" grep -q "^exited 1 rc 5$" "$T/out"
check "the logbook was closed cleanly: no journal left" test ! -e "$DB-journal" -a ! -e "$DB-wal"
expect_rc 0 "and it checks clean" "$OUTPOST" check --db "$DB" --passphrase-file "$PASS"
done_testing
