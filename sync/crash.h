/* crash.h — named crash points for fault tests: with OUTPOST_CRASH=NAME (or NAME:N for
 * the Nth time it is reached) in the environment, the process kills itself with SIGKILL
 * at that point, as a power cut would; NAME:N:term sends it SIGTERM there instead, once,
 * as systemd stopping a service would. Without the variable it costs one getenv. */
#ifndef OUTPOST_CRASH_H
#define OUTPOST_CRASH_H

void crash_point(const char *name);

#endif
