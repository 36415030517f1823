/* main.h — what other screens need from the main screen. */
#ifndef OUTPOST_TUI_MAIN_H
#define OUTPOST_TUI_MAIN_H

#include <stdint.h>

/* UTC ms of today's local midnight (by clock_now_ms, which OUTPOST_NOW can set). */
int64_t main_today_start(void);

#endif
