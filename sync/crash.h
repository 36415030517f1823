/* crash.h — named crash points for fault tests: with OUTPOST_CRASH=NAME (or NAME:N for
 * the Nth time it is reached) in the environment, the process kills itself with SIGKILL
 * at that point, as a power cut would; NAME:N:term sends it SIGTERM there instead, once,
 * as systemd stopping a service would. Without the variable it costs one getenv. A spec
 * that is not one of these (N not a whole number from 1, a third part other than "term")
 * disarms the point: a fault test that counts on the crash then sees none and fails, where
 * atoi made "2x" 2 and "x" 1. */
#ifndef OUTPOST_CRASH_H
#define OUTPOST_CRASH_H

void crash_point(const char *name);

#endif
