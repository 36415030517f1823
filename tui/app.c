/* app.c — the screen stack, the shared lines, opening and locking the logbook (see app.h). */
#include <assert.h>
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "storage/logbook.h"
#include "base/parse.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/bgsync.h"

void
app_push(struct app *a, const struct screen *s)
{
	void *d;

	assert(a->depth < APP_STACK);
	if (a->depth >= APP_STACK)
		return;
	if ((d = calloc(1, s->size > 0 ? s->size : 1)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		return;
	}
	a->data[a->depth] = d;
	a->stack[a->depth++] = s;
	if (s->enter != NULL)
		s->enter(a);
	a->dirty = 1;
}

/* Takes the top screen off the stack: its leave, then its state wiped and freed. */
static void
app_drop(struct app *a)
{
	const struct screen *s = a->stack[a->depth - 1];

	if (s->leave != NULL)
		s->leave(a);
	a->depth--;
	sodium_memzero(a->data[a->depth], s->size > 0 ? s->size : 1);
	free(a->data[a->depth]);
	a->data[a->depth] = NULL;
}

void
app_pop(struct app *a)
{
	const struct screen *s;

	if (a->depth <= 1)
		return;
	app_drop(a);
	s = a->stack[a->depth - 1];
	if (s->enter != NULL)
		s->enter(a);
	a->dirty = 1;
}

void
app_clear(struct app *a)
{
	while (a->depth > 0)
		app_drop(a);
}

void
app_reset(struct app *a, const struct screen *s)
{
	app_clear(a);
	app_push(a, s);
}

void *
app_data(const struct app *a, const struct screen *s)
{
	int i;

	for (i = a->depth - 1; i >= 0; i--)
		if (a->stack[i] == s)
			return a->data[i];
	assert(!"app_data: the screen is not on the stack");
	return NULL;
}

const struct screen *
app_top(const struct app *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

void
app_message(struct app *a, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_role = role;
	a->dirty = 1;
}

void
app_alert(struct app *a, int role, const char *fmt, ...)
{
	va_list ap;

	a->dirty = 1;
	if (fmt == NULL) {
		a->alert[0] = '\0';
		return;
	}
	va_start(ap, fmt);
	vsnprintf(a->alert, sizeof a->alert, fmt, ap);
	va_end(ap);
	a->alert_role = role;
}

int
app_open(struct app *a, const char *secret, size_t len, struct err *e)
{
	int rc;

	assert(a->lb == NULL);
	if ((rc = logbook_unlock_file(a->db_path, secret, len, &a->lb, e)) != E_OK)
		return rc;
	if ((rc = app_set_cache(a, e)) != E_OK) {
		app_close(a);
		return rc;
	}
	a->kind = logbook_kind(a->lb);
	settings_get(a->lb, "name", a->station, sizeof a->station, NULL);
	app_idle_apply(a);
	bgsync_start(a);
	return E_OK;
}

int
app_offers(struct app *a, const struct screen *s, const struct key_binding *b)
{
	if (!key_applies(b, a->kind))
		return 0;
	return s == NULL || s->offers == NULL || s->offers(a, b);
}

void
app_idle_apply(struct app *a)
{
	if (a->idle_env_s >= 0)
		a->idle_lock_s = a->idle_env_s;
	else if (a->lb != NULL)
		a->idle_lock_s = settings_get_int(a->lb, "idle_lock_minutes") * 60;
	else
		a->idle_lock_s = 300;
	if (a->idle_lock_s < 0)
		a->idle_lock_s = 0;
}

int
app_env(struct app *a, struct err *e)
{
	const char *idle = getenv("OUTPOST_IDLE_SECONDS"), *cache = getenv("OUTPOST_CACHE_KIB");
	int64_t s = -1, kib = 0;
	int rc;

	if (idle != NULL && idle[0] != '\0' &&
	    (rc = parse_int(idle, 0, APP_IDLE_ENV_MAX, "OUTPOST_IDLE_SECONDS", &s, e)) != E_OK)
		return rc;
	if (cache != NULL && cache[0] != '\0' &&
	    (rc = parse_int(cache, 64, APP_CACHE_ENV_MAX, "OUTPOST_CACHE_KIB", &kib, e)) != E_OK)
		return rc;
	a->idle_env_s = (int)s;
	a->cache_env_kib = (int)kib;
	return E_OK;
}

int
app_set_cache(struct app *a, struct err *e)
{
	return logbook_set_cache_kib(a->lb, a->cache_env_kib > 0 ? a->cache_env_kib :
	    APP_CACHE_KIB, e);
}

void
app_close(struct app *a)
{
	bgsync_stop(a);
	logbook_close(a->lb);	/* and the file: wipes the key */
	a->lb = NULL;
}

void
app_lock(struct app *a)
{
	int i;

	if (a->locked)
		return;
	/* back to the bottom screen: the ones above forget everything as they leave */
	while (a->depth > 1)
		app_drop(a);
	for (i = 0; i < a->depth; i++)
		if (a->stack[i]->wipe != NULL)
			a->stack[i]->wipe(a);
	a->message[0] = '\0';
	a->alert[0] = '\0';
	app_close(a);
	a->locked = 1;
	/* the old screen must not linger in the terminal's buffer either */
	clearok(curscr, TRUE);
	app_push(a, &screen_unlock);
}

int
app_attr(const struct app *a, int role)
{
	static const int mono[ROLE_COUNT] = {
		[ROLE_NORMAL] = A_NORMAL,
		[ROLE_BAR] = A_REVERSE,
		[ROLE_KEY] = A_BOLD,
		[ROLE_ALERT] = A_REVERSE | A_BOLD,
		[ROLE_WARN] = A_BOLD,
		[ROLE_OK] = A_NORMAL,
		[ROLE_FIELD] = A_UNDERLINE,
		[ROLE_SELECT] = A_REVERSE,
		[ROLE_TITLE] = A_BOLD,
		[ROLE_DIM] = A_DIM,
	};

	assert(role >= 0 && role < ROLE_COUNT);
	if (!a->colour)
		return mono[role];
	switch (role) {
	case ROLE_NORMAL:
		return A_NORMAL;
	case ROLE_FIELD:
		return COLOR_PAIR(role) | A_UNDERLINE;
	case ROLE_KEY:
	case ROLE_ALERT:
		return COLOR_PAIR(role) | A_BOLD;
	case ROLE_TITLE:
		return COLOR_PAIR(role) | A_BOLD;
	}
	return COLOR_PAIR(role);
}

int
app_body_top(const struct app *a)
{
	/* a long alert takes a second row rather than being cut */
	return a->alert[0] != '\0' && draw_wrap_rows(a->alert, a->cols) > 1 ? 3 : 2;
}

int
app_body_bottom(const struct app *a)
{
	/* so does a long message, above the key bar */
	return a->message[0] != '\0' && draw_wrap_rows(a->message, a->cols) > 1 ? a->rows - 4 :
	    a->rows - 3;
}
