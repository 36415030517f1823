/* record.c — writing records: the rules that make them trustworthy (validation, fever and
 * recheck, high-risk flags, outing quota, triage route, bins, watchlist), then one append per
 * record. Nothing is ever updated: corrections and deletions are new rows. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "storage/clock.h"
#include "storage/record.h"
#include "storage/store.h"
#include "storage/validate.h"
#include "storage/watchlist.h"

/* Which station kinds may add which record kinds (bit = 1 << station kind). */
#define ALL ((1 << STATION_TRAFFIC) | (1 << STATION_GATE) | (1 << STATION_TRIAGE))
static const unsigned allowed[REC_KIND_COUNT] = {
    [REC_TEMP] = ALL,
    [REC_VEHICLE] = 1 << STATION_TRAFFIC,
    [REC_RESIDENT] = 1 << STATION_GATE,
    [REC_VISITOR] = 1 << STATION_GATE,
    [REC_TRIAGE] = 1 << STATION_TRIAGE,
    [REC_BIN] = ALL,
    [REC_COLLECTION] = ALL,
};

#define AT(r, f, type) ((type *)((char *)(r) + (f)->off))

static void
notice_add(struct rec_notice *n, const char *s)
{
	size_t len = strlen(n->text);

	snprintf(n->text + len, sizeof n->text - len, "%s%s", len ? " " : "", s);
}

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

static int
in_list(const char *csv, const char *s)
{
	char buf[1024], *tok, *save;

	snprintf(buf, sizeof buf, "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok != '\0' && strstr(s, tok) != NULL)
			return 1;
	}
	return 0;
}

static int
check_temp_range(const struct rec_field *f, int v, struct err *e)
{
	if (v < TEMP_MIN_TENTHS || v > TEMP_MAX_TENTHS)
		return err_set(e, E_INVALID, _("%s: %d.%d °C is outside 32.0–43.0: re-measure"),
		    f->name, v / 10, v % 10);
	return E_OK;
}

static int
check_household(const char *name, char *s, struct err *e)
{
	char norm[REC_WORD];
	int parts = 1, len = 0;
	const char *p;

	if (validate_fold(s, norm, sizeof norm) < 0)
		norm[0] = '\0';
	/* validate_fold drops '-': check the shape on the typed text instead. */
	for (p = s; *p != '\0'; p++) {
		if (*p == '-') {
			if (len == 0)
				break;
			parts++;
			len = 0;
		} else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')) {
			len++;
		} else {
			break;
		}
	}
	if (*p != '\0' || parts != 3 || len == 0)
		return err_set(e, E_INVALID,
		    _("%s: write the household as building-unit-room, "
		      "e.g. 3-2-301"),
		    name);
	for (p = s; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*(char *)p -= 'a' - 'A';
	return E_OK;
}

/* The code of a failed lookup's error (e may be NULL for a caller that wants none). */
#define LOOKUP_ERR_CODE(e) ((e) != NULL && (e)->code != E_OK ? (e)->code : E_IO)

/* Form checks every kind shares: required fields, text sanity, ID numbers, plates, phones,
 * temperatures. Normalizes what it checks. */
static int
check_fields(struct logbook *lb, struct record *r, struct rec_notice *n, struct err *e)
{
	const struct rec_field *f, *unv, *note;
	size_t nf, i;
	int64_t today = clock_day(clock_now_ms(), clock_tz_min(clock_now_ms()));
	struct validate_date d;
	char buf[64];
	int rc;

	clock_civil(today, &d.year, &d.month, &d.day);
	/* A mainland resident ID is by far the most common: it is the default ID type. */
	if ((f = rec_field_find(r->kind, "id_type")) != NULL && *AT(r, f, char) == '\0')
		snprintf(AT(r, f, char), f->size, "%s", "resident_id");
	f = rec_fields(r->kind, &nf);
	unv = rec_field_find(r->kind, "id_unverified");
	note = rec_field_find(r->kind, "note");
	for (i = 0; i < nf; i++) {
		if (f[i].flags & FF_COMPUTED)
			continue;
		if (f[i].type == FT_TEXT || f[i].type == FT_ENUM) {
			char *s = AT(r, &f[i], char);

			if ((rc = text_check(s, 0, f[i].name, e)) != E_OK)
				return rc;
			if ((f[i].flags & FF_REQUIRED) && *s == '\0')
				return err_set(e, E_INVALID, _("%s: required"), f[i].name);
		}
		if ((f[i].flags & FF_REQUIRED) &&
		    (f[i].type == FT_INT || f[i].type == FT_DECI || f[i].type == FT_SEQ ||
			f[i].type == FT_DECI_LIST)) {
			int zero = f[i].type == FT_SEQ ? *AT(r, &f[i], int64_t) == 0
						       : *AT(r, &f[i], int) == 0;

			if (zero)
				return err_set(e, E_INVALID, _("%s: required"), f[i].name);
		}
		if ((f[i].flags & FF_IDNUM) && *AT(r, &f[i], char) != '\0') {
			const struct rec_field *tf = rec_field_find(r->kind, "id_type");
			const char *type = tf != NULL ? AT(r, tf, char) : "resident_id";
			char *s = AT(r, &f[i], char);
			struct id_result id;

			if (strcmp(type, "resident_id") != 0 && type[0] != '\0') {
				if (validate_fold(s, buf, sizeof buf) < 4)
					return err_set(e, E_INVALID,
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
				return err_set(e, E_INVALID, "%s",
				    _("note: required when an ID is "
				      "saved as unverified"));
			return err_set(e, E_INVALID, "%s: %s", f[i].name, id.msg);
		}
		if ((f[i].flags & FF_PLATE) && *AT(r, &f[i], char) != '\0') {
			struct plate_result pr;
			char *s = AT(r, &f[i], char);

			validate_plate(s, &pr);
			if (pr.status == VALIDATE_INVALID)
				return err_set(e, E_INVALID, "%s: %s", f[i].name, pr.msg);
			if (pr.status == VALIDATE_WARNING && n != NULL) {
				n->unknown_plate = 1;
				notice_add(n, pr.msg);
			}
			snprintf(s, f[i].size, "%s", pr.norm);
		}
		if ((f[i].flags & FF_PHONE) && *AT(r, &f[i], char) != '\0') {
			struct phone_result ph;
			char *s = AT(r, &f[i], char);

			validate_phone(s, &ph);
			if (ph.status == VALIDATE_INVALID)
				return err_set(e, E_INVALID, "%s: %s", f[i].name, ph.msg);
			snprintf(s, f[i].size, "%s", ph.norm);
		}
		if (f[i].type == FT_DECI && strcmp(f[i].name, "weight_kg") != 0 &&
		    *AT(r, &f[i], int) != 0 &&
		    (rc = check_temp_range(&f[i], *AT(r, &f[i], int), e)) != E_OK)
			return rc;
	}
	(void)lb;
	return E_OK;
}

/* Whether a live bin with code is in the registry (other than the record except_root):
 * LOOKUP_YES, LOOKUP_NO, or LOOKUP_ERROR with e set. */
static int
live_bin(struct logbook *lb, const char *code, int64_t except_root, struct err *e)
{
	sqlite3_stmt *st;
	int rc, found = LOOKUP_NO;
	struct record *r = malloc(sizeof *r);

	if (r == NULL) {
		err_set(e, E_IO, "%s", _("out of memory"));
		return LOOKUP_ERROR;
	}
	if (store_prepare(lb,
		"SELECT " STORE_COLS " FROM records r WHERE r.kind = 'bin' "
		"AND " STORE_LATEST " AND r.action <> 'delete' AND r.root_seq <> ?1",
		&st, e) != E_OK) {
		free(r);
		return LOOKUP_ERROR;
	}
	sqlite3_bind_int64(st, 1, except_root);
	while (found == LOOKUP_NO && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_row_record(lb, st, 0, r, NULL) == E_OK &&
		    strcmp(r->u.bin.code, code) == 0)
			found = LOOKUP_YES;
	if (found == LOOKUP_NO && rc != SQLITE_DONE) {
		store_sqlite_err(lb->db, rc, e);
		found = LOOKUP_ERROR;
	}
	sqlite3_finalize(st);
	free(r);
	return found;
}

/* The triage rules, first match wins: the route each suggests and its words. */
static int
rule_emergency(const struct rec_triage *t, int thr)
{
	(void)thr;
	return (t->symptoms & (REC_SYMPTOM_DYSPNEA | REC_SYMPTOM_CHEST_PAIN)) != 0;
}

static int
rule_fever(const struct rec_triage *t, int thr)
{
	return t->temp >= thr;
}

static int
rule_epi(const struct rec_triage *t, int thr)
{
	(void)thr;
	return t->epi != 0;
}

static int
rule_respiratory(const struct rec_triage *t, int thr)
{
	(void)thr;
	return (t->symptoms &
		   (REC_SYMPTOM_FEVER | REC_SYMPTOM_COUGH | REC_SYMPTOM_SORE_THROAT |
		       REC_SYMPTOM_TASTE_SMELL)) != 0;
}

static int
rule_default(const struct rec_triage *t, int thr)
{
	(void)t;
	(void)thr;
	return 1;
}

static const struct triage_rule {
	int (*when)(const struct rec_triage *t, int thr);
	const char *route;
	const char *rule; /* stored text: not translated */
} triage_rules[] = {
    {rule_emergency, "emergency", "dyspnea or chest pain -> emergency"},
    {rule_fever, "fever_clinic", "temperature at or above the threshold -> fever clinic"},
    {rule_epi, "fever_clinic", "epidemiological history -> fever clinic"},
    {rule_respiratory, "fever_clinic",
	"fever, cough, sore throat or taste/smell loss -> "
	"fever clinic"},
    {rule_default, "general_clinic", "no fever, symptoms or history -> general clinic"},
};

static void
triage_suggest(struct rec_triage *t, int thr)
{
	size_t i;

	for (i = 0; i < sizeof triage_rules / sizeof triage_rules[0]; i++) {
		if (triage_rules[i].when(t, thr)) {
			snprintf(t->suggested, sizeof t->suggested, "%s", triage_rules[i].route);
			snprintf(t->route_rule, sizeof t->route_rule, "%s", triage_rules[i].rule);
			break;
		}
	}
	if (t->route[0] == '\0')
		snprintf(t->route, sizeof t->route, "%s", t->suggested);
}

/* Watchlist: every ID number and plate of r; matches go into r->alert. A lookup that
 * fails stops the write (a record is never stored unchecked against the watchlist). */
static int
match_watchlist(struct logbook *lb, struct record *r, struct rec_notice *n, struct err *e)
{
	const struct rec_field *f;
	struct watch_entry w;
	size_t nf, i, len;
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
	}
	if (r->alert[0] != '\0' && n != NULL) {
		n->alert = 1;
		notice_add(n, _("Watchlist match:"));
		notice_add(n, r->alert);
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

/* Whether a fever reading (root) already has a live recheck other than except_root (a
 * recheck's first version points at the reading with ref_seq): LOOKUP_YES, LOOKUP_NO, or
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

/* The kind's rules and computed fields. prev is the version being corrected (NULL on add);
 * base_ms the record's first creation time (quota and recheck windows count from it). */
static int
apply_rules(struct logbook *lb, struct record *r, const struct record *prev, int64_t base_ms,
    struct rec_notice *n, struct err *e)
{
	int thr = settings_get_deci(lb, "fever_threshold");
	int64_t self = prev != NULL ? prev->root_seq : 0;
	char list[1024], msg[256];
	struct record *t;
	int i, rc;

	switch (r->kind) {
	case REC_TEMP: {
		struct rec_temp *tp = &r->u.temp;

		tp->fever = tp->value >= thr;
		tp->recheck_due_ms = 0;
		r->ref_seq = 0;
		if (prev != NULL && tp->recheck_of != prev->u.temp.recheck_of)
			return err_set(e, E_INVALID, "%s",
			    _("recheck_of: cannot be corrected; delete "
			      "the reading and add it again"));
		if (tp->recheck_of != 0) {
			if ((t = malloc(sizeof *t)) == NULL)
				return err_set(e, E_IO, "%s", _("out of memory"));
			rc = rec_get(lb, tp->recheck_of, t, NULL);
			if (rc != E_OK || t->kind != REC_TEMP || t->deleted ||
			    t->u.temp.recheck_of != 0 || !t->u.temp.fever) {
				free(t);
				return err_set(e, E_INVALID,
				    _("recheck_of: record %lld is not a "
				      "fever reading waiting for a recheck"),
				    (long long)tp->recheck_of);
			}
			if ((rc = has_recheck(lb, t->root_seq, self, e)) != LOOKUP_NO) {
				free(t);
				if (rc == LOOKUP_ERROR)
					return LOOKUP_ERR_CODE(e);
				return err_set(e, E_INVALID,
				    _("recheck_of: record %lld is already "
				      "rechecked"),
				    (long long)tp->recheck_of);
			}
			if (base_ms < t->u.temp.recheck_due_ms) {
				clock_format(t->u.temp.recheck_due_ms,
				    clock_tz_min(t->u.temp.recheck_due_ms), msg, sizeof msg);
				free(t);
				return err_set(e, E_INVALID,
				    _("recheck_of: the recheck is due at %s, "
				      "not before"),
				    msg);
			}
			tp->recheck_of = t->root_seq;
			r->ref_seq = r->action == REC_ADD ? t->root_seq : r->ref_seq;
			free(t);
			if (tp->disposition[0] == '\0')
				return err_set(e, E_INVALID, "%s",
				    _("disposition: required on a "
				      "recheck (pass, isolated, referred, turned_back)"));
		} else if (tp->fever) {
			tp->recheck_due_ms =
			    base_ms + (int64_t)settings_get_int(lb, "recheck_minutes") * 60000;
			if (n != NULL) {
				n->fever = 1;
				n->recheck_due_ms = tp->recheck_due_ms;
				clock_format(tp->recheck_due_ms, clock_tz_min(tp->recheck_due_ms),
				    list, sizeof list);
				snprintf(msg, sizeof msg, _("Fever: %d.%d °C. Recheck due at %s."),
				    tp->value / 10, tp->value % 10, list);
				notice_add(n, msg);
			}
		} else if (tp->disposition[0] == '\0') {
			snprintf(tp->disposition, sizeof tp->disposition, "pass");
		}
		break;
	}
	case REC_VEHICLE: {
		struct rec_vehicle *v = &r->u.vehicle;
		const char *pfx[32];
		char *tok, *save;
		size_t np = 0;
		int given = 0;

		if (v->occupants < 1 || v->occupants > REC_MAX_OCCUPANTS)
			return err_set(
			    e, E_INVALID, _("occupants: must be 1 to %d"), REC_MAX_OCCUPANTS);
		while (given < REC_MAX_OCCUPANTS && v->occupant_temps[given] != 0)
			given++;
		if (given != v->occupants)
			return err_set(e, E_INVALID,
			    _("occupant_temps: %d temperatures for %d "
			      "occupants; give one for each"),
			    given, v->occupants);
		for (i = 0; i < given; i++)
			if (v->occupant_temps[i] < TEMP_MIN_TENTHS ||
			    v->occupant_temps[i] > TEMP_MAX_TENTHS)
				return err_set(e, E_INVALID,
				    _("occupant_temps: %d.%d °C is outside "
				      "32.0–43.0: re-measure"),
				    v->occupant_temps[i] / 10, v->occupant_temps[i] % 10);
		v->flagged = 0;
		v->fever = 0;
		v->flag_reason[0] = '\0';
		settings_get(lb, "high_risk_plates", list, sizeof list, NULL);
		for (tok = strtok_r(list, ",", &save); tok != NULL && np < 32;
		     tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (*tok != '\0')
				pfx[np++] = tok;
		}
		if ((i = validate_plate_prefix(v->plate, pfx, np)) >= 0) {
			v->flagged = 1;
			snprintf(v->flag_reason, sizeof v->flag_reason, "high-risk plate prefix %s",
			    pfx[i]);
		}
		settings_get(lb, "high_risk_origins", list, sizeof list, NULL);
		if (in_list(list, v->origin)) {
			size_t len = strlen(v->flag_reason);

			v->flagged = 1;
			snprintf(v->flag_reason + len, sizeof v->flag_reason - len,
			    "%shigh-risk "
			    "origin",
			    len ? "; " : "");
		}
		for (i = 0; i < given; i++) {
			if (v->occupant_temps[i] >= thr) {
				size_t len = strlen(v->flag_reason);

				v->flagged = 1;
				v->fever = 1;
				snprintf(v->flag_reason + len, sizeof v->flag_reason - len,
				    "%sfever %d.%d", len ? "; " : "", v->occupant_temps[i] / 10,
				    v->occupant_temps[i] % 10);
				break;
			}
		}
		if (v->flagged && n != NULL) {
			n->flagged = 1;
			snprintf(msg, sizeof msg, _("Flagged: %s."), v->flag_reason);
			notice_add(n, msg);
		}
		break;
	}
	case REC_RESIDENT: {
		struct rec_resident *rs = &r->u.resident;
		struct quota_status q;

		if ((rc = check_household("household", rs->household, e)) != E_OK)
			return rc;
		if (prev != NULL && strcmp(prev->u.resident.household, rs->household) == 0 &&
		    strcmp(prev->u.resident.direction, rs->direction) == 0) {
			rs->quota_exceeded = prev->u.resident.quota_exceeded;
			memcpy(rs->quota, prev->u.resident.quota, sizeof rs->quota);
			break;
		}
		rs->quota_exceeded = 0;
		rs->quota[0] = '\0';
		if (strcmp(rs->direction, "out") != 0)
			break;
		if ((rc = rec_quota(lb, rs->household, &q, e)) != E_OK)
			return rc;
		rs->quota_exceeded = q.exceeded;
		snprintf(
		    rs->quota, sizeof rs->quota, "%d/%d in %d days", q.used + 1, q.persons, q.days);
		if (q.exceeded && n != NULL) {
			n->quota_exceeded = 1;
			snprintf(msg, sizeof msg,
			    _("Over the outing quota: %d of %d in %d days "
			      "for this household (recorded)."),
			    q.used + 1, q.persons, q.days);
			notice_add(n, msg);
		}
		break;
	}
	case REC_VISITOR:
		if ((rc = check_household("host", r->u.visitor.host, e)) != E_OK)
			return rc;
		if (strcmp(r->u.visitor.health_code, "green") != 0 && n != NULL) {
			snprintf(msg, sizeof msg, _("Health code %s."), r->u.visitor.health_code);
			notice_add(n, msg);
		}
		break;
	case REC_TRIAGE:
		/* Stored, like a temperature check's, so that whoever counts fevers later (the
		 * hub) counts them against this station's threshold as it was now. */
		r->u.triage.fever = r->u.triage.temp >= thr;
		triage_suggest(&r->u.triage, thr);
		if (r->u.triage.fever && n != NULL) {
			n->fever = 1;
			snprintf(msg, sizeof msg, _("Fever: %d.%d °C."), r->u.triage.temp / 10,
			    r->u.triage.temp % 10);
			notice_add(n, msg);
		}
		break;
	case REC_BIN: {
		char norm[REC_WORD];

		if (validate_fold(r->u.bin.code, norm, sizeof norm) <= 0)
			return err_set(e, E_INVALID, "%s", _("code: required"));
		snprintf(r->u.bin.code, sizeof r->u.bin.code, "%s", norm);
		if ((rc = live_bin(lb, norm, self, e)) != LOOKUP_NO)
			return rc == LOOKUP_ERROR ? LOOKUP_ERR_CODE(e)
				      : err_set(e, E_INVALID,
					    _("code: bin %s is already "
					      "in the registry"),
					    norm);
		break;
	}
	case REC_COLLECTION: {
		struct rec_collection *c = &r->u.collection;
		char norm[REC_WORD];

		if (validate_fold(c->bin, norm, sizeof norm) <= 0)
			return err_set(e, E_INVALID, "%s", _("bin: required"));
		snprintf(c->bin, sizeof c->bin, "%s", norm);
		if ((rc = live_bin(lb, norm, 0, e)) != LOOKUP_YES)
			return rc == LOOKUP_ERROR ? LOOKUP_ERR_CODE(e)
				      : err_set(e, E_INVALID,
					    _("bin: %s is not in the "
					      "registry (add bin first)"),
					    norm);
		if (c->bags < 1 || c->bags > 1000)
			return err_set(e, E_INVALID, "%s", _("bags: must be 1 to 1000"));
		if (c->fill < 0 || c->fill > 100)
			return err_set(e, E_INVALID, "%s", _("fill: a percentage, 0 to 100"));
		break;
	}
	default:
		break;
	}
	return E_OK;
}

int
rec_add(struct logbook *lb, struct record *r, struct rec_notice *notice, struct err *e)
{
	int rc;

	if (notice != NULL)
		memset(notice, 0, sizeof *notice);
	if (r->kind <= 0 || r->kind >= REC_KIND_COUNT)
		return err_set(e, E_INVALID, "%s", _("unknown kind of record"));
	if (!(allowed[r->kind] & (1u << lb->kind)))
		return err_set(e, E_INVALID, _("a %s station does not record %s"),
		    station_kind_name(lb->kind), rec_kind_name(r->kind));
	r->action = REC_ADD;
	r->ref_seq = 0;
	r->reason[0] = '\0';
	if ((rc = store_begin(lb, e)) != E_OK)
		return rc;
	stamp(lb, r);
	if ((rc = check_fields(lb, r, notice, e)) == E_OK &&
	    (rc = apply_rules(lb, r, NULL, r->created_ms, notice, e)) == E_OK) {
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
	    (prev->kind != r->kind || prev->kind == REC_EXIT || prev->kind == REC_SIGNIN ||
		prev->kind == REC_HANDOVER))
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
		if ((rc = check_fields(lb, r, notice, e)) == E_OK &&
		    (rc = apply_rules(lb, r, prev, base, notice, e)) == E_OK) {
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
	if (rc == E_OK && (prev->kind == REC_SIGNIN || prev->kind == REC_HANDOVER))
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
