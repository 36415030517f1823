/* mono.h — the monotonic clock, for timeouts, budgets and traces: never steps with the
 * wall clock (NTP, a volunteer setting the date), so an interval measured across a change
 * of the date stays the interval it was. */
#ifndef OUTPOST_MONO_H
#define OUTPOST_MONO_H

#include <stdint.h>

/* Monotonic milliseconds, from an arbitrary start (compare two readings only). */
int64_t mono_ms(void);

/* Monotonic microseconds, the same clock. */
int64_t mono_us(void);

#endif
