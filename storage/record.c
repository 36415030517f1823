/* record.c — writing records: the checks every kind shares (required fields, text, ID
 * numbers, plates, phones, temperatures, the watchlist), then the kind's own rules from its
 * entry (kind-*.c), then one append per record. Nothing is ever updated: corrections and
 * deletions are new rows. rec_verdict runs the same checks and rules on a half-filled record
 * without storing it. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/store.h"
#include "storage/validate.h"
#include "storage/watchlist.h"

#define AT(r, f, type) ((type *)((char *)(r) + (f)->off))

int
store_append(struct logbook *lb, struct record *r, struct err *e)
{
	sqlite3_stmt *st;
	char *body;
	int rc;

	assert(r->action >= REC_ADD && r->action <= REC_DELETE);
	if ((rc = store_prepare(lb, "SELECT coalesce(max(seq), 0) + 1 FROM records", &st, e)) !=
	    E_OK)
		return rc;
	rc = sqlite3_step(st);
	r->seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_err(lb->db, rc, e);
	if (r->action == REC_ADD)
		r->root_seq = r->seq;
	if (r->kind == REC_SIGNIN)
		r->shift = r->seq; /* a signin opens the shift named by its own seq */
	assert(r->root_seq > 0 && r->root_seq <= r->seq);
	memcpy(r->station_id, lb->station_id, sizeof r->station_id);
	if ((body = body_encode(r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = store_prepare(lb,
		 "INSERT INTO records(seq, kind, action, ref_seq, root_seq, "
		 "created_ms, tz_min, operator, shift, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		 "?8, "
		 "?9, ?10)",
		 &st, e)) != E_OK) {
		free(body);
		return rc;
	}
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_text(st, 2, rec_kind_name(r->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec_action_name(r->action), -1, SQLITE_STATIC);
	if (r->ref_seq != 0)
		sqlite3_bind_int64(st, 4, r->ref_seq);
	sqlite3_bind_int64(st, 5, r->root_seq);
	sqlite3_bind_int64(st, 6, r->created_ms);
	sqlite3_bind_int(st, 7, r->tz_min);
	sqlite3_bind_text(st, 8, r->operator_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, r->shift);
	sqlite3_bind_text(st, 10, body, -1, free);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if ((rc = store_inside(lb, r, e)) != E_OK || (rc = store_pending(lb, r, e)) != E_OK)
		return rc;
	return store_terms(lb, r->root_seq, r->action == REC_DELETE ? NULL : r, e);
}

/* Stamps the envelope: time, offset, operator, shift. */
static void
stamp(struct logbook *lb, struct record *r)
{
	r->created_ms = clock_now_ms();
	r->tz_min = clock_tz_min(r->created_ms);
	snprintf(r->operator_name, sizeof r->operator_name, "%s", lb->operator_name);
	r->shift = lb->shift;
}

/* The code of a failed lookup's error (e may be NULL for a caller that wants none). */
#define LOOKUP_ERR_CODE(e) ((e) != NULL && (e)->code != E_OK ? (e)->code : E_IO)

/* A field that fails: refused, or in a live verdict skipped (the form says what is wrong
 * beside the field). */
#define FAIL(...)                                                                                  \
	do {                                                                                       \
		rc = err_set(e, E_INVALID, __VA_ARGS__);                                           \
		if (live)                                                                          \
			goto next;                                                                 \
		return rc;                                                                         \
	} while (0)

/* Form checks every kind shares: required fields (not when live), text sanity, ID numbers,
 * plates, phones, temperatures. Normalizes what it checks. */
static int
check_fields(struct record *r, int live, struct rec_notice *n, struct err *e)
{
	const struct rec_field *f, *unv, *note;
	size_t nf, i;
	int64_t today = clock_day(clock_now_ms(), clock_tz_min(clock_now_ms()));
	struct validate_date d;
	char buf[64];
	int rc;

	clock_civil(today, &d.year, &d.month, &d.day);
	f = rec_fields(r->kind, &nf);
	for (i = 0; i < nf; i++) /* the table's defaults for what is not given */
		if (f[i].def != NULL && (f[i].type == FT_TEXT || f[i].type == FT_ENUM) &&
		    *AT(r, &f[i], char) == '\0')
			snprintf(AT(r, &f[i], char), f[i].size, "%s", f[i].def);
	unv = rec_field_find(r->kind, "id_unverified");
	note = rec_field_find(r->kind, "note");
	for (i = 0; i < nf; i++) {
		if (f[i].flags & FF_COMPUTED)
			continue;
		if (f[i].type == FT_TEXT || f[i].type == FT_ENUM) {
			char *s = AT(r, &f[i], char);

			if ((rc = text_check(s, 0, f[i].name, e)) != E_OK) {
				if (live)
					goto next;
				return rc;
			}
			if (!live && (f[i].flags & FF_REQUIRED) && *s == '\0')
				FAIL(_("%s: required"), f[i].name);
		}
		if (!live && (f[i].flags & FF_REQUIRED) &&
		    (f[i].type == FT_INT || f[i].type == FT_DECI || f[i].type == FT_SEQ ||
			f[i].type == FT_DECI_LIST)) {
			int zero = f[i].type == FT_SEQ ? *AT(r, &f[i], int64_t) == 0
						       : *AT(r, &f[i], int) == 0;

			if (zero)
				FAIL(_("%s: required"), f[i].name);
		}
		if ((f[i].flags & FF_IDNUM) && *AT(r, &f[i], char) != '\0') {
			const struct rec_field *tf = rec_field_find(r->kind, "id_type");
			const char *type = tf != NULL ? AT(r, tf, char) : "resident_id";
			char *s = AT(r, &f[i], char);
			struct id_result id;

			if (strcmp(type, "resident_id") != 0 && type[0] != '\0') {
				if (validate_fold(s, buf, sizeof buf) < 4)
					FAIL(
					    _("%s: too short for an ID "
					      "number"),
					    f[i].name);
				snprintf(s, f[i].size, "%s", buf);
				continue;
			}
			if (validate_id(s, &d, &id) == VALIDATE_OK) {
				snprintf(s, f[i].size, "%s", id.norm);
				continue;
			}
			/* Only a wrong check character may be saved, and only as unverified. */
			if (id.norm[0] != '\0' && id.birth[0] != '\0' && id.expected_check != 0 &&
			    id.norm[17] != id.expected_check && unv != NULL && *AT(r, unv, int) &&
			    note != NULL && *AT(r, note, char) != '\0') {
				snprintf(s, f[i].size, "%s", id.norm);
				continue;
			}
			if (unv != NULL && *AT(r, unv, int) && note != NULL &&
			    *AT(r, note, char) == '\0')
				FAIL("%s",
				    _("note: required when an ID is "
				      "saved as unverified"));
			FAIL("%s: %s", f[i].name, id.msg);
		}
		if ((f[i].flags & FF_PLATE) && *AT(r, &f[i], char) != '\0') {
			struct plate_result pr;
			char *s = AT(r, &f[i], char);

			validate_plate(s, &pr);
			if (pr.status == VALIDATE_INVALID)
				FAIL("%s: %s", f[i].name, pr.msg);
			if (pr.status == VALIDATE_WARNING && n != NULL) {
				n->unknown_plate = 1;
				rule_notice(n, pr.msg);
			}
			snprintf(s, f[i].size, "%s", pr.norm);
		}
		if ((f[i].flags & FF_PHONE) && *AT(r, &f[i], char) != '\0') {
			struct phone_result ph;
			char *s = AT(r, &f[i], char);

			validate_phone(s, &ph);
			if (ph.status == VALIDATE_INVALID)
				FAIL("%s: %s", f[i].name, ph.msg);
			snprintf(s, f[i].size, "%s", ph.norm);
		}
		if (f[i].type == FT_DECI && (f[i].flags & FF_TEMP) &&
		    (rc = rule_temp_range(f[i].name, *AT(r, &f[i], int), e)) != E_OK && !live)
			return rc;
	next:;
	}
	return E_OK;
}

#undef FAIL

/* Watchlist: every ID number and plate of r; matches go into r->alert. A lookup that
 * fails stops the write (a record is never stored unchecked against the watchlist). */
static int
match_watchlist(struct logbook *lb, struct record *r, struct rec_notice *n, struct err *e)
{
	const struct rec_field *f;
	struct watch_entry w;
	size_t nf, i, len;
	char msg[REC_TEXT * 2];
	int m;

	r->alert[0] = '\0';
	f = rec_fields(r->kind, &nf);
	for (i = 0; i < nf; i++) {
		const char *v = AT(r, &f[i], char);
		const char *type = (f[i].flags & FF_IDNUM) ? "id"
		    : (f[i].flags & FF_PLATE)		   ? "plate"
							   : NULL;

		if (type == NULL || *v == '\0')
			continue;
		if ((m = watchlist_match(lb, type, v, &w, e)) == LOOKUP_ERROR)
			return LOOKUP_ERR_CODE(e);
		if (m == LOOKUP_NO)
			continue;
		len = strlen(r->alert);
		snprintf(r->alert + len, sizeof r->alert - len, "%swatchlist %s (%s): %s",
		    len ? "; " : "", type, f[i].name, w.reason);
		if (n == NULL)
			continue;
		n->alert = 1;
		n->watch_fields |= 1u << i;
		snprintf(msg, sizeof msg, _("WATCHLIST: %s — %s"),
		    (f[i].flags & FF_IDNUM) ? _("this ID number is on the watchlist")
					    : _("this plate is on the watchlist"),
		    w.reason);
		rule_notice(n, msg);
	}
	return E_OK;
}

/* Whether the visitor entry root has a live exit (its seq in *exit_seq, may be NULL):
 * LOOKUP_YES, LOOKUP_NO, or LOOKUP_ERROR with e set. */
static int
is_live_exit_of(struct logbook *lb, int64_t root, int64_t *exit_seq, struct err *e)
{
	sqlite3_stmt *st;
	int rc, found;

	if (store_prepare(lb,
		"SELECT x.seq FROM records x WHERE x.kind = 'exit' AND "
		"x.action = 'add' AND x.ref_seq = ?1 AND NOT EXISTS (SELECT 1 FROM records d "
		"WHERE d.root_seq = x.seq AND d.action = 'delete')",
		&st, e) != E_OK)
		return LOOKUP_ERROR;
	sqlite3_bind_int64(st, 1, root);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		found = LOOKUP_YES;
		if (exit_seq != NULL)
			*exit_seq = sqlite3_column_int64(st, 0);
	} else if (rc == SQLITE_DONE) {
		found = LOOKUP_NO;
	} else {
		store_sqlite_err(lb->db, rc, e);
		found = LOOKUP_ERROR;
	}
	sqlite3_finalize(st);
	return found;
}

/* The rules of r's kind (its entry in kind-*.c). prev is the version being corrected (NULL
 * on add); base_ms the record's first creation time (quota and recheck windows count from
 * it). */
static int
run_rules(struct logbook *lb, struct record *r, const struct record *prev, int64_t base_ms,
    struct rec_notice *n, struct err *e)
{
	const struct kind_entry *k = kind_entry(r->kind);
	struct rule_ctx c = {lb, prev, base_ms, prev != NULL ? prev->root_seq : 0,
	    settings_get_deci(lb, "fever_threshold"), r->kind, NULL};
	const struct rec_field *f, *all;
	size_t n_all, i;

	/* The first temperature field of the kind is the one a fever is marked on. */
	all = rec_fields(r->kind, &n_all);
	for (i = 0, f = NULL; i < n_all && f == NULL; i++)
		if (all[i].type == FT_DECI && (all[i].flags & FF_TEMP))
			f = &all[i];
	c.temp_field = f != NULL ? f->name : NULL;

	assert(k != NULL);
	return k->rules != NULL ? k->rules(&c, r, n, e) : E_OK;
}

int
rec_verdict(struct logbook *lb, struct record *r, struct rec_notice *n, struct err *e)
{
	struct err fe = {0}, re = {0};
	int rc;

	memset(n, 0, sizeof *n);
	if (kind_entry(r->kind) == NULL)
		return err_set(e, E_INVALID, "%s", _("unknown kind of record"));
	if (r->created_ms == 0)
		r->created_ms = clock_now_ms();
	check_fields(r, 1, n, &fe);
	rc = run_rules(lb, r, NULL, r->created_ms, n, &re);
	if (rc == E_IO || rc == E_DAMAGED) {
		*e = re;
		return rc;
	}
	if (rc != E_OK)
		snprintf(n->problem, sizeof n->problem, "%.*s", (int)sizeof n->problem - 1, re.msg);
	return match_watchlist(lb, r, n, e);
}

int
rec_add(struct logbook *lb, struct record *r, struct rec_notice *notice, struct err *e)
{
	int rc;

	if (notice != NULL)
		memset(notice, 0, sizeof *notice);
	if (kind_entry(r->kind) == NULL)
		return err_set(e, E_INVALID, "%s", _("unknown kind of record"));
	if (!rec_kind_allowed(lb->kind, r->kind))
		return err_set(e, E_INVALID, _("a %s station does not record %s"),
		    station_kind_name(lb->kind), rec_kind_name(r->kind));
	r->action = REC_ADD;
	r->ref_seq = 0;
	r->reason[0] = '\0';
	if ((rc = store_begin(lb, e)) != E_OK)
		return rc;
	stamp(lb, r);
	if ((rc = check_fields(r, 0, notice, e)) == E_OK &&
	    (rc = run_rules(lb, r, NULL, r->created_ms, notice, e)) == E_OK) {
		if ((rc = match_watchlist(lb, r, notice, e)) == E_OK)
			rc = store_append(lb, r, e);
	}
	if (rc != E_OK) {
		store_rollback(lb);
		return rc;
	}
	return store_commit(lb, e);
}

int
rec_exit(struct logbook *lb, int64_t ref, struct record *out, struct err *e)
{
	struct record *v, *x;
	int rc;

	if ((v = malloc(2 * sizeof *v)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	x = v + 1;
	if ((rc = store_begin(lb, e)) != E_OK)
		goto out;
	rc = rec_get(lb, ref, v, e);
	if (rc == E_OK && (v->kind != REC_VISITOR || v->deleted))
		rc = err_set(
		    e, E_INVALID, _("record %lld is not a visitor's entry"), (long long)ref);
	if (rc == E_OK) {
		int found = is_live_exit_of(lb, v->root_seq, NULL, e);

		if (found == LOOKUP_ERROR)
			rc = LOOKUP_ERR_CODE(e);
		else if (found == LOOKUP_YES)
			rc = err_set(e, E_INVALID, _("visitor %lld has already left"),
			    (long long)v->root_seq);
	}
	if (rc == E_OK) {
		rec_init(x, REC_EXIT);
		stamp(lb, x);
		x->ref_seq = v->root_seq;
		x->u.exit.entry = v->root_seq;
		rc = store_append(lb, x, e);
	}
	if (rc != E_OK)
		store_rollback(lb);
	else if ((rc = store_commit(lb, e)) == E_OK && out != NULL)
		*out = *x;
out:
	free(v);
	return rc;
}

int
rec_correct(struct logbook *lb, int64_t ref, struct record *r, const char *reason,
    struct rec_notice *notice, struct err *e)
{
	struct record *prev;
	int64_t base;
	int rc;

	if (notice != NULL)
		memset(notice, 0, sizeof *notice);
	if (reason == NULL || reason[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("reason: a correction needs a reason"));
	if (strlen(reason) >= sizeof r->reason)
		return err_set(
		    e, E_INVALID, _("reason: longer than %zu bytes"), sizeof r->reason - 1);
	if ((rc = text_check(reason, 0, "reason", e)) != E_OK)
		return rc;
	if ((prev = malloc(sizeof *prev)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = store_begin(lb, e)) != E_OK) {
		free(prev);
		return rc;
	}
	rc = rec_get(lb, ref, prev, e);
	if (rc == E_OK && prev->deleted)
		rc = err_set(e, E_INVALID, _("record %lld is deleted"), (long long)ref);
	if (rc == E_OK &&
	    (prev->kind != r->kind || !(kind_entry(prev->kind)->flags & KE_CORRECT)))
		rc = err_set(e, E_INVALID, _("record %lld (%s) cannot be corrected this way"),
		    (long long)ref, rec_kind_name(prev->kind));
	if (rc == E_OK) {
		/* The first version's time is the record's time. */
		sqlite3_stmt *st;

		base = prev->created_ms;
		if (store_prepare(lb, "SELECT created_ms FROM records WHERE seq = ?1", &st, NULL) ==
		    E_OK) {
			sqlite3_bind_int64(st, 1, prev->root_seq);
			if (sqlite3_step(st) == SQLITE_ROW)
				base = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		stamp(lb, r);
		r->action = REC_CORRECT;
		r->root_seq = prev->root_seq;
		r->ref_seq = prev->seq;
		snprintf(r->reason, sizeof r->reason, "%s", reason);
		if ((rc = check_fields(r, 0, notice, e)) == E_OK &&
		    (rc = run_rules(lb, r, prev, base, notice, e)) == E_OK) {
			r->ref_seq = prev->seq;
			if ((rc = match_watchlist(lb, r, notice, e)) == E_OK)
				rc = store_append(lb, r, e);
		}
	}
	free(prev);
	if (rc != E_OK) {
		store_rollback(lb);
		return rc;
	}
	return store_commit(lb, e);
}

int
rec_delete(struct logbook *lb, int64_t ref, const char *reason, int64_t *seq, struct err *e)
{
	struct record *prev, *t;
	int rc;

	if (reason == NULL || reason[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("reason: a deletion needs a reason"));
	if ((rc = text_check(reason, 0, "reason", e)) != E_OK)
		return rc;
	if ((prev = malloc(2 * sizeof *prev)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	t = prev + 1;
	if ((rc = store_begin(lb, e)) != E_OK) {
		free(prev);
		return rc;
	}
	rc = rec_get(lb, ref, prev, e);
	if (rc == E_OK && prev->deleted)
		rc = err_set(e, E_INVALID, _("record %lld is already deleted"), (long long)ref);
	if (rc == E_OK && !(kind_entry(prev->kind)->flags & KE_DELETE))
		rc = err_set(e, E_INVALID, _("record %lld (%s) cannot be deleted"), (long long)ref,
		    rec_kind_name(prev->kind));
	if (rc == E_OK) {
		rec_init(t, prev->kind);
		stamp(lb, t);
		t->action = REC_DELETE;
		t->root_seq = prev->root_seq;
		t->ref_seq = prev->seq;
		snprintf(t->reason, sizeof t->reason, "%.*s", (int)sizeof t->reason - 1, reason);
		rc = store_append(lb, t, e);
	}
	if (rc == E_OK && seq != NULL)
		*seq = t->seq;
	free(prev);
	if (rc != E_OK) {
		store_rollback(lb);
		return rc;
	}
	return store_commit(lb, e);
}
