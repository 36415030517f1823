/* loop.h — the main loop: curses up and down, keys to screens, resize, ticks, idle lock. */
#ifndef OUTPOST_LOOP_H
#define OUTPOST_LOOP_H

struct app;

/* Starts curses, runs until a->quit, and ends curses on every path. Returns 0, or an
 * exit code when the terminal could not be used. */
int loop_run(struct app *a);

/* Draws the shown screen now (before a slow call, such as the key derivation). */
void loop_paint(struct app *a);

#endif
