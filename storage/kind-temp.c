/* kind-temp.c — a temperature check: a first reading at or above the threshold is a fever
 * whose recheck is due after the recheck window; a recheck points at the fever it rechecks
 * (of any kind that carries temperatures) and gives the disposition. A fever released as
 * "pass" needs an override reason. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/query.h"
#include "storage/store.h"

static const char *const methods[] = {
    N_("forehead"), N_("wrist"), N_("ear"), N_("oral"), N_("armpit"), NULL};
static const char *const dispositions[] = {
    N_("pass"), N_("isolated"), N_("referred"), N_("turned_back"), NULL};

static const struct rec_field fields[] = {
    KIND_NUM(temp, value, FT_DECI, FF_REQUIRED | FF_TEMP, N_("temperature °C")),
    KIND_ENUM(temp, method, 0, methods, N_("method")),
    KIND_TEXT(temp, person, FF_PERSONAL | FF_NAME, N_("person")),
    KIND_NUM(temp, recheck_of, FT_SEQ, 0, N_("recheck of")),
    KIND_ENUM(temp, disposition, 0, dispositions, N_("disposition")),
    KIND_TEXT(temp, override_reason, 0, N_("override reason")),
    KIND_NUM(temp, fever, FT_BOOL, FF_COMPUTED, N_("fever")),
    KIND_DUE(temp),
};

/* Whether a fever (root) already has a live recheck other than except_root (a recheck's
 * first version points at the reading with ref_seq): LOOKUP_YES, LOOKUP_NO, or
 * LOOKUP_ERROR with e set. */
static int
has_recheck(struct logbook *lb, int64_t root, int64_t except_root, struct err *e)
{
	sqlite3_stmt *st;
	int rc, found;

	if (store_prepare(lb,
		"SELECT 1 FROM records c WHERE c.ref_seq = ?1 AND "
		"c.kind = 'temp' AND c.action = 'add' AND c.seq <> ?2 AND NOT EXISTS "
		"(SELECT 1 FROM records d WHERE d.root_seq = c.seq AND d.action = 'delete')",
		&st, e) != E_OK)
		return LOOKUP_ERROR;
	sqlite3_bind_int64(st, 1, root);
	sqlite3_bind_int64(st, 2, except_root);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		found = LOOKUP_YES;
	else if (rc == SQLITE_DONE)
		found = LOOKUP_NO;
	else {
		store_sqlite_err(lb->db, rc, e);
		found = LOOKUP_ERROR;
	}
	sqlite3_finalize(st);
	return found;
}

/* The fever the recheck points at: E_INVALID if it is none waiting, or not yet due. */
static int
temp_first(struct rule_ctx *c, struct record *r, struct err *e)
{
	struct rec_temp *tp = &r->u.temp;
	struct record *t;
	int64_t due = 0;
	char when[64];
	int rc;

	if ((t = malloc(sizeof *t)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	rc = rec_get(c->lb, tp->recheck_of, t, NULL);
	if (rc != E_OK || t->deleted || !rec_fever(t, NULL, &due) ||
	    (t->kind == REC_TEMP && t->u.temp.recheck_of != 0) || due == 0) {
		free(t);
		return err_set(e, E_INVALID,
		    _("recheck_of: record %lld is not a fever waiting for a recheck"),
		    (long long)tp->recheck_of);
	}
	if ((rc = has_recheck(c->lb, t->root_seq, c->self, e)) != LOOKUP_NO) {
		free(t);
		if (rc == LOOKUP_ERROR)
			return e != NULL && e->code != E_OK ? e->code : E_IO;
		return err_set(e, E_INVALID, _("recheck_of: record %lld is already rechecked"),
		    (long long)tp->recheck_of);
	}
	tp->recheck_of = t->root_seq;
	if (r->action == REC_ADD)
		r->ref_seq = t->root_seq;
	free(t);
	if (c->base_ms < due) {
		clock_format(due, clock_tz_min(due), when, sizeof when);
		return err_set(
		    e, E_INVALID, _("recheck_of: the recheck is due at %s, not before"), when);
	}
	return E_OK;
}

static int
temp_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_temp *tp = &r->u.temp;
	char msg[REC_TEXT + 64];
	int rc;

	r->ref_seq = 0;
	if (tp->recheck_of == 0) {
		rule_fever(c, NULL, tp->value, &tp->fever, &tp->recheck_due_ms, n);
		/* A normal reading corrected to a fever: its automatic "pass" goes, the fever
		 * waits for its recheck. */
		if (tp->fever && c->prev != NULL && !c->prev->u.temp.fever &&
		    strcmp(tp->disposition, c->prev->u.temp.disposition) == 0)
			tp->disposition[0] = '\0';
		if (!tp->fever && tp->disposition[0] == '\0')
			snprintf(tp->disposition, sizeof tp->disposition, "pass");
	} else {
		/* A recheck is no new fever: no recheck of its own. */
		rule_fever(c, NULL, tp->value, &tp->fever, NULL, NULL);
		tp->recheck_due_ms = 0;
	}
	if (tp->fever && strcmp(tp->disposition, "pass") == 0) {
		if (tp->override_reason[0] == '\0') {
			if (n != NULL)
				n->needs_reason = 1;
			return err_set(e, E_INVALID,
			    _("override_reason: %d.%d °C is a fever: releasing it as pass needs "
			      "the reason why"),
			    tp->value / 10, tp->value % 10);
		}
		/* Released on its reason: no recheck is waited for. */
		tp->recheck_due_ms = 0;
		if (n != NULL) {
			n->released = 1;
			n->recheck_due_ms = 0;
		}
		snprintf(msg, sizeof msg, _("Released despite fever: %s."), tp->override_reason);
		rule_notice(n, msg);
	}
	if (c->prev != NULL && tp->recheck_of != c->prev->u.temp.recheck_of)
		return err_set(e, E_INVALID, "%s",
		    _("recheck_of: cannot be corrected; delete the reading and add it again"));
	if (tp->recheck_of == 0)
		return E_OK;
	if ((rc = temp_first(c, r, e)) != E_OK)
		return rc;
	if (tp->disposition[0] == '\0')
		return err_set(e, E_INVALID, "%s",
		    _("disposition: required on a recheck (pass, isolated, referred, "
		      "turned_back)"));
	return E_OK;
}

static int
temp_of(const struct record *r)
{
	return r->u.temp.value;
}

/* What a one-line row shows. */
static const char *const temp_summary[] = {"value", "person", "disposition", NULL};

/* A fever released as pass on a reason; a recheck by its disposition (the fifth count:
 * none of the four). */
static void
temp_tally(const struct record *r, struct report *rep)
{
	const char *d = r->u.temp.disposition;
	size_t i;

	if (r->u.temp.fever && strcmp(d, "pass") == 0 && r->u.temp.override_reason[0] != '\0')
		rep->released++;
	if (r->u.temp.recheck_of == 0)
		return;
	for (i = 0; dispositions[i] != NULL && strcmp(d, dispositions[i]) != 0; i++)
		;
	assert(i < sizeof rep->dispositions / sizeof rep->dispositions[0]);
	rep->dispositions[i]++;
}

const struct kind_entry kind_temp = {
    .name = "temp",
    .label = N_("Temperature"),
    .fields = KIND_FIELDS(fields),
    .stations = (1 << STATION_TRAFFIC) | (1 << STATION_GATE) | (1 << STATION_TRIAGE),
    .flags = KE_ADD | KE_CORRECT | KE_DELETE | KE_FEVER,
    .rules = temp_rules,
    .temp_of = temp_of,
    .summary = temp_summary,
    .tally = temp_tally,
};
