/* screen-setup.c — first run, when there is no logbook yet: station kind, name, passphrase
 * twice; then the recovery key is shown once and the person confirms they wrote it down by
 * typing its first group. */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "storage/logbook.h"
#include "storage/labels.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/loop.h"

/* What this screen keeps while it is on the stack (app_data). */
struct setup_state {
	struct form_field *setup_fields;	/* sodium_malloc: it holds the passphrase */
	struct form setup_form;
	struct form_field confirm_field[1];
	struct form confirm_form;
	char *setup_recovery;		/* sodium_malloc; the key, once made */
	int setup_made;			/* made: show the key, ask to confirm it */
};

enum { SETUP_KIND, SETUP_NAME, SETUP_PASS, SETUP_AGAIN, SETUP_NFIELDS };

static const char *const setup_kinds[] = { "traffic", "gate", "triage", NULL };

/* The kind typed as a prefix of traffic, gate or triage (English words: stored values), or
 * its name in Chinese (门岗, 交通卡口, 预检分诊: storage's labels). */
static const char *
setup_kind_of(const char *text)
{
	const char *hit = NULL;
	size_t i, n = strlen(text);
	int k;

	if ((k = label_station_kind_parse(text)) > 0)
		return station_kind_name(k);
	for (i = 0; setup_kinds[i] != NULL; i++)
		if (n > 0 && strncmp(setup_kinds[i], text, n) == 0) {
			if (hit != NULL)
				return NULL;	/* "t": traffic or triage */
			hit = setup_kinds[i];
		}
	return hit;
}

static int
setup_check_kind(struct form_field *ff, const char *text, void *ctx)
{
	const char *k = setup_kind_of(text);

	(void)ctx;
	if (k == NULL) {
		snprintf(ff->note, sizeof ff->note, "%s",
		    _("type traffic, gate or triage (a few letters will do), or 门岗, 交通卡口, 预检分诊"));
		return FORM_BAD;
	}
	snprintf(ff->note, sizeof ff->note, "%s", label_station_kind(station_kind_parse(k)));
	return FORM_OK;
}

static int
setup_check_pass(struct form_field *ff, const char *text, void *ctx)
{
	(void)ctx;
	if (strlen(text) < 8) {
		snprintf(ff->note, sizeof ff->note, "%s", _("at least 8 characters"));
		return FORM_BAD;
	}
	return FORM_OK;
}

static int
setup_check_again(struct form_field *ff, const char *text, void *ctx)
{
	struct form *fm = ctx;

	(void)text;
	if (ff->f.len != fm->fields[SETUP_PASS].f.len ||
	    wmemcmp(ff->f.buf, fm->fields[SETUP_PASS].f.buf, ff->f.len) != 0) {
		snprintf(ff->note, sizeof ff->note, "%s", _("the two passphrases differ"));
		return FORM_BAD;
	}
	snprintf(ff->note, sizeof ff->note, "%s", _("the same: good"));
	return FORM_OK;
}

static void
setup_enter(struct app *a)
{
	struct setup_state *su = app_data(a, &screen_setup);

	if (su->setup_form.fields != NULL)
		return;
	if ((su->setup_fields = sodium_malloc(sizeof *su->setup_fields * SETUP_NFIELDS)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		a->quit = 1;
		return;
	}
	form_field_init(&su->setup_fields[SETUP_KIND], N_("Station kind"), 12, 0, 1,
	    setup_check_kind);
	form_field_init(&su->setup_fields[SETUP_NAME], N_("Station name"), 20, 0, 1, NULL);
	form_field_init(&su->setup_fields[SETUP_PASS], N_("Passphrase"), 64, FIELD_SECRET, 1,
	    setup_check_pass);
	form_field_init(&su->setup_fields[SETUP_AGAIN], N_("Passphrase again"), 64, FIELD_SECRET,
	    1, setup_check_again);
	form_init(&su->setup_form, su->setup_fields, SETUP_NFIELDS, &su->setup_form);
	form_field_init(&su->confirm_field[0], N_("First group of the key"), 5, FIELD_UPPER, 1,
	    NULL);
	form_init(&su->confirm_form, su->confirm_field, 1, NULL);
}

static void
setup_leave(struct app *a)
{
	struct setup_state *su = app_data(a, &screen_setup);

	if (su->setup_form.fields != NULL) {
		form_clear(&su->setup_form);
		form_clear(&su->confirm_form);
	}
	sodium_free(su->setup_fields);
	su->setup_fields = NULL;
	su->setup_form.fields = NULL;
	if (su->setup_recovery != NULL)
		sodium_free(su->setup_recovery);
	su->setup_recovery = NULL;
	su->setup_made = 0;
	a->unsaved = 0;
	a->unsaved_msg = NULL;
}

static void
setup_draw(struct app *a)
{
	struct setup_state *su = app_data(a, &screen_setup);
	int y = 3, x = 2;

	if (su->setup_made) {
		y += draw_wrap(y, x, a->cols - 4, 2, _("The logbook is made. This is its recovery "
		    "key:"), app_attr(a, ROLE_TITLE)) + 1;
		draw_str(y, x + 4, a->cols - 8, su->setup_recovery, A_BOLD, 0);
		y += 2;
		y += draw_wrap(y, x, a->cols - 4, 3, _("It is shown only this once. Write it on "
		    "paper and keep it apart from this computer:"), A_NORMAL);
		y += draw_wrap(y, x, a->cols - 4, 3, _("it opens the logbook if every passphrase "
		    "is forgotten."), A_NORMAL) + 1;
		y += draw_wrap(y, x, a->cols - 4, 3, _("To confirm you wrote it down, type its "
		    "first group of five characters and press Enter."), A_NORMAL) + 1;
		draw_form(a, &su->confirm_form, y, x, 8);
		return;
	}
	y += draw_wrap(y, x, a->cols - 4, 2, _("No logbook yet: set up this station."),
	    app_attr(a, ROLE_TITLE));
	y += draw_wrap(y, x, a->cols - 4, 3, _("Station kind: traffic (checkpoint on a road), "
	    "gate (residential compound) or triage (clinic)."), A_NORMAL) + 1;
	y = draw_form(a, &su->setup_form, y, x, 32) + 1;
	draw_wrap(y, x, a->cols - 4, 3, _("Tab or Enter moves on; Enter on the last field "
	    "makes the logbook."), app_attr(a, ROLE_DIM));
}

static int
setup_mkdirs(const char *path, struct err *e)
{
	char dir[4096];
	char *p;

	snprintf(dir, sizeof dir, "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return E_OK;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return err_set(e, E_IO, _("cannot make the folder %s: %s"), dir,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, E_IO, _("cannot make the folder %s: %s"), dir, strerror(errno));
	return E_OK;
}

static int
setup_create(struct app *a)
{
	struct setup_state *su = app_data(a, &screen_setup);
	struct err e = { 0 };
	char kind[64], name[64], *pass;
	int rc, len;

	if (form_validate(&su->setup_form) >= 0) {
		app_message(a, ROLE_ALERT, "%s", _("Some fields need attention (marked)."));
		return TUI_REDRAW | TUI_BELL;
	}
	form_text(&su->setup_form, SETUP_KIND, kind, sizeof kind);
	form_text(&su->setup_form, SETUP_NAME, name, sizeof name);
	if ((pass = sodium_malloc(FIELD_CAP * 4 + 1)) == NULL ||
	    (su->setup_recovery = sodium_malloc(LOGBOOK_RECOVERY_LEN)) == NULL) {
		if (pass != NULL)
			sodium_free(pass);
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		return TUI_REDRAW;
	}
	len = field_get(&su->setup_fields[SETUP_PASS].f, pass, FIELD_CAP * 4 + 1);
	app_message(a, ROLE_NORMAL, "%s", _("Making the logbook…"));
	loop_paint(a);
	rc = setup_mkdirs(a->db_path, &e);
	if (rc == E_OK)
		rc = logbook_create_file(a->db_path, pass, (size_t)len, a->kdf,
		    su->setup_recovery, setup_kind_of(kind), name, &a->lb, &e);
	sodium_free(pass);
	if (rc == E_OK && (rc = app_set_cache(a, &e)) != E_OK) {
		app_close(a);
		remove(a->db_path);	/* a half-made logbook holds nothing yet */
	}
	if (rc == E_OK) {
		a->kind = logbook_kind(a->lb);
		snprintf(a->station, sizeof a->station, "%s", name);
		app_idle_apply(a);
	}
	if (rc != E_OK) {
		sodium_free(su->setup_recovery);
		su->setup_recovery = NULL;
		app_message(a, ROLE_ALERT, "%s", e.msg);
		return TUI_REDRAW | TUI_BELL;	/* the form keeps what was typed */
	}
	field_clear(&su->setup_fields[SETUP_PASS].f);
	field_clear(&su->setup_fields[SETUP_AGAIN].f);
	su->setup_made = 1;
	a->unsaved = 1;	/* F10 now asks first: the key is shown only here */
	a->unsaved_msg = N_("The recovery key is shown only now: F10 again quits without it. "
	    "Write it down first.");
	a->locked = 0;
	app_message(a, ROLE_OK, "%s", _("The logbook is made."));
	return TUI_REDRAW;
}

static int
setup_confirm(struct app *a)
{
	struct setup_state *su = app_data(a, &screen_setup);
	char typed[16];

	form_text(&su->confirm_form, 0, typed, sizeof typed);
	if (strlen(typed) != 5 || strncmp(typed, su->setup_recovery, 5) != 0) {
		app_message(a, ROLE_ALERT, "%s", _("That is not the first group of the key: "
		    "look again at what you wrote."));
		return TUI_REDRAW | TUI_BELL;
	}
	app_message(a, ROLE_OK, "%s", _("Recovery key confirmed. Now sign in."));
	a->unsaved = 0;
	a->unsaved_msg = NULL;
	app_reset(a, &screen_signin);
	return TUI_REDRAW;
}

static int
setup_key(struct app *a, int key)
{
	struct setup_state *su = app_data(a, &screen_setup);
	struct form *fm = su->setup_made ? &su->confirm_form : &su->setup_form;

	switch (form_key(fm, key)) {
	case FORM_SUBMIT:
		return su->setup_made ? setup_confirm(a) : setup_create(a);
	case FORM_IGNORED:
	case FORM_CANCEL:
		return TUI_UNHANDLED;
	}
	/* the second passphrase is compared again when the first changes */
	if (fm == &su->setup_form && su->setup_fields[SETUP_AGAIN].f.len > 0)
		form_check_field(fm, SETUP_AGAIN);
	return TUI_REDRAW;
}

const struct screen screen_setup = {
	.name = N_("Setup"),
	.keys = NULL,
	.enter = setup_enter,
	.leave = setup_leave,
	.draw = setup_draw,
	.key = setup_key,
	.wipe = setup_leave,
	.secure = 1,
	.size = sizeof(struct setup_state),
};
