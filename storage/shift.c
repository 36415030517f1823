/* shift.c — operators and shifts: signing in opens a shift (the signin record's seq is its
 * id) that every later record is stamped with; the handover closes it with a summary. The
 * session is kept in the file so separate CLI runs and the TUI share it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "storage/clock.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/report.h"
#include "storage/store.h"

static int
set_session(struct logbook *lb, const char *name, int64_t shift, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, "UPDATE session SET operator = ?1, shift = ?2", &st, e)) !=
	    E_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, shift);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	snprintf(lb->operator_name, sizeof lb->operator_name, "%s", name);
	lb->shift = shift;
	return E_OK;
}

int
logbook_signin(struct logbook *lb, const char *name, int64_t *shift, struct err *e)
{
	return logbook_change(lb, name, NULL, NULL, shift, e);
}

int
logbook_change(struct logbook *lb, const char *name, const char *note, int64_t *handover,
    int64_t *shift, struct err *e)
{
	char auto_note[REC_TEXT], old_name[REC_NAME];
	int64_t old_shift = lb->shift;
	struct record *r;
	int rc;

	memcpy(old_name, lb->operator_name, sizeof old_name);
	if (name == NULL || name[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("operator: a name is required to sign in"));
	if (strlen(name) >= REC_NAME)
		return err_set(e, E_INVALID, _("operator: longer than %d bytes"), REC_NAME - 1);
	if ((rc = text_check(name, 0, _("operator"), e)) != E_OK)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	rec_init(r, REC_SIGNIN);
	snprintf(r->u.signin.name, sizeof r->u.signin.name, "%s", name);
	if (handover != NULL)
		*handover = 0;
	if ((rc = store_begin(lb, e)) == E_OK && lb->shift != 0) {
		/* Never two operators at once: the open shift ends with its handover. */
		if (note == NULL || note[0] == '\0') {
			snprintf(auto_note, sizeof auto_note, "ended by the sign-in of %.*s",
			    (int)sizeof auto_note - 32, name);
			note = auto_note;
		}
		if ((rc = logbook_handover(lb, note, handover, e)) != E_OK)
			store_rollback(lb);
	}
	if (rc == E_OK) {
		r->created_ms = clock_now_ms();
		r->tz_min = clock_tz_min(r->created_ms);
		snprintf(r->operator_name, sizeof r->operator_name, "%s", name);
		/* The shift is the signin's own seq: known only after it is taken. */
		rc = store_append(lb, r, e);
		if (rc == E_OK)
			rc = set_session(lb, name, r->seq, e);
		if (rc == E_OK)
			rc = store_commit(lb, e);
		else
			store_rollback(lb);
	}
	if (rc == E_OK && shift != NULL)
		*shift = r->seq;
	if (rc != E_OK) { /* rolled back: the session is what it was */
		memcpy(lb->operator_name, old_name, sizeof old_name);
		lb->shift = old_shift;
	}
	free(r);
	return rc;
}

int
logbook_handover(struct logbook *lb, const char *note, int64_t *seq, struct err *e)
{
	struct report rep;
	struct record *r;
	int rc;

	if (lb->shift == 0)
		return err_set(e, E_INVALID, "%s", _("nobody is signed in: no shift to hand over"));
	if (note != NULL && strlen(note) >= REC_TEXT)
		return err_set(e, E_INVALID, _("note: longer than %d bytes"), REC_TEXT - 1);
	/* A handover note may run over lines; they are escaped wherever it is printed. */
	if (note != NULL && (rc = text_check(note, TEXT_MULTILINE, _("note"), e)) != E_OK)
		return rc;
	if ((rc = report_shift(lb, lb->shift, &rep, e)) != E_OK)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	rec_init(r, REC_HANDOVER);
	snprintf(r->u.handover.note, sizeof r->u.handover.note, "%s", note != NULL ? note : "");
	report_summary(&rep, r->u.handover.summary, sizeof r->u.handover.summary);
	if ((rc = store_begin(lb, e)) == E_OK) {
		r->created_ms = clock_now_ms();
		r->tz_min = clock_tz_min(r->created_ms);
		snprintf(r->operator_name, sizeof r->operator_name, "%s", lb->operator_name);
		r->shift = lb->shift;
		rc = store_append(lb, r, e);
		if (rc == E_OK)
			rc = set_session(lb, "", 0, e);
		if (rc == E_OK)
			rc = store_commit(lb, e);
		else
			store_rollback(lb);
	}
	if (rc == E_OK && seq != NULL)
		*seq = r->seq;
	free(r);
	return rc;
}

int
logbook_last_handover(struct logbook *lb, struct record *r, struct err *e)
{
	sqlite3_stmt *st;
	int64_t seq = 0;
	int rc;

	if ((rc = store_prepare(lb, "SELECT max(seq) FROM records WHERE kind = 'handover'", &st,
		 e)) != E_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		store_sqlite_err(lb->db, rc, e);
		return -1;
	}
	if (seq == 0)
		return 0;
	return rec_get(lb, seq, r, e) == E_OK ? 1 : -1;
}
