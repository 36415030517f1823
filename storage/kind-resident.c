/* kind-resident.c — a resident going out or coming in at a compound gate: the household's
 * outing quota is counted on the way out; a temperature is taken as the station's
 * temp_required says, and a fever waits for its recheck like any temperature check. */
#include <stdio.h>
#include <string.h>

#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/quota.h"

static const char *const directions[] = {N_("out"), N_("in"), NULL};

static const struct rec_field fields[] = {
    KIND_ENUM(resident, direction, FF_REQUIRED, directions, N_("direction")),
    KIND_TEXT(resident, household, FF_REQUIRED | FF_PERSONAL, N_("household")),
    KIND_TEXT(resident, pass_number, FF_PERSONAL, N_("pass number")),
    KIND_TEXT(resident, name, FF_PERSONAL | FF_NAME, N_("name")),
    KIND_NUM(resident, temp, FT_DECI, FF_TEMP, N_("temperature °C")),
    KIND_NUM(resident, quota_exceeded, FT_BOOL, FF_COMPUTED, N_("over quota")),
    KIND_TEXT(resident, quota, FF_COMPUTED, N_("quota used")),
    KIND_NUM(resident, fever, FT_BOOL, FF_COMPUTED, N_("fever")),
    KIND_DUE(resident),
};

static int
resident_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_resident *rs = &r->u.resident;
	const struct rec_resident *old = c->prev != NULL ? &c->prev->u.resident : NULL;
	struct quota_status q;
	char msg[256];
	int rc;

	rule_fever(c, NULL, rs->temp, &rs->fever, &rs->recheck_due_ms, n);
	if ((rc = rule_household("household", rs->household, e)) != E_OK)
		return rc;
	if (old != NULL && strcmp(old->household, rs->household) == 0 &&
	    strcmp(old->direction, rs->direction) == 0) {
		/* As counted when it happened. */
		rs->quota_exceeded = old->quota_exceeded;
		memcpy(rs->quota, old->quota, sizeof rs->quota);
	} else {
		rs->quota_exceeded = 0;
		rs->quota[0] = '\0';
	}
	if (strcmp(rs->direction, "out") == 0 && (old == NULL || rs->quota[0] == '\0')) {
		if ((rc = rec_quota(c->lb, rs->household, &q, e)) != E_OK)
			return rc;
		rs->quota_exceeded = q.exceeded;
		snprintf(
		    rs->quota, sizeof rs->quota, "%d/%d in %d days", q.used + 1, q.persons, q.days);
		if (q.exceeded && n != NULL) {
			n->quota_exceeded = 1;
			rule_field(n, REC_RESIDENT, "household");
			snprintf(msg, sizeof msg,
			    _("Over the outing quota: %d of %d in %d days for this household "
			      "(recorded)."),
			    q.used + 1, q.persons, q.days);
			rule_notice(n, msg);
		}
	}
	if (rs->temp == 0 && rec_field_required(c->lb, r, rec_field_find(r->kind, "temp")))
		return err_set(e, E_INVALID, "%s",
		    _("temp: required at this station (setting temp_required): measure and "
		      "give it"));
	return E_OK;
}

static int
resident_required(struct logbook *lb, const struct record *r, const struct rec_field *f)
{
	return strcmp(f->name, "temp") == 0 &&
	    rule_temp_required(lb, REC_RESIDENT, r->u.resident.direction);
}

static int
resident_temp_of(const struct record *r)
{
	return r->u.resident.temp;
}

/* What a one-line row shows. */
static const char *const resident_summary[] = {"direction", "household", "name", "quota", NULL};

static int
resident_flagged(const struct record *r)
{
	return r->u.resident.quota_exceeded != 0;
}

static void
resident_tally(const struct record *r, struct report *rep)
{
	rep->quota_exceeded += resident_flagged(r);
}

const struct kind_entry kind_resident = {
    .name = "resident",
    .label = N_("Resident"),
    .fields = KIND_FIELDS(fields),
    .stations = 1 << STATION_GATE,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE | KE_FEVER,
    .rules = resident_rules,
    .required = resident_required,
    .temp_of = resident_temp_of,
    .summary = resident_summary,
    .flagged = resident_flagged,
    .tally = resident_tally,
};
