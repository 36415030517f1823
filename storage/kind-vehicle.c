/* kind-vehicle.c — a vehicle passage at a traffic checkpoint: the driver and each passenger
 * are measured; a high-risk plate prefix or origin, or a fever of anyone in it, flags the
 * vehicle, and a fever waits for its recheck like any temperature check. */
#include <stdio.h>
#include <string.h>

#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/store.h"
#include "storage/validate.h"

static const char *const dispositions[] = {N_("pass"), N_("turned_back"), N_("referred"), NULL};

static const struct rec_field fields[] = {
    KIND_TEXT(vehicle, plate, FF_REQUIRED | FF_PERSONAL | FF_PLATE, N_("plate")),
    KIND_TEXT(vehicle, driver_name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("driver's name")),
    KIND_TEXT(vehicle, driver_id_number, FF_PERSONAL | FF_IDNUM, N_("driver's ID number")),
    KIND_TEXT(vehicle, driver_phone, FF_PERSONAL | FF_PHONE, N_("driver's phone")),
    KIND_NUM(vehicle, driver_temp, FT_DECI, FF_REQUIRED | FF_TEMP, N_("driver's temperature °C")),
    KIND_NUM(vehicle, occupants, FT_INT, 0, N_("passengers besides the driver")),
    KIND_NUM(vehicle, occupant_temps, FT_DECI_LIST, FF_TEMP, N_("passengers' temperatures")),
    KIND_TEXT(vehicle, origin, FF_REQUIRED | FF_PERSONAL, N_("origin")),
    KIND_TEXT(vehicle, destination, FF_PERSONAL, N_("destination")),
    KIND_TEXT(vehicle, reason, FF_PERSONAL, N_("reason")),
    KIND_ENUM(vehicle, disposition, FF_REQUIRED, dispositions, N_("disposition")),
    KIND_NUM(vehicle, id_unverified, FT_BOOL, 0, N_("ID unverified")),
    KIND_TEXT(vehicle, note, FF_PERSONAL, N_("note")),
    KIND_NUM(vehicle, flagged, FT_BOOL, FF_COMPUTED, N_("flagged")),
    KIND_TEXT(vehicle, flag_reason, FF_COMPUTED, N_("why flagged")),
    KIND_NUM(vehicle, fever, FT_BOOL, FF_COMPUTED, N_("fever")),
    KIND_DUE(vehicle),
};

static void
flag(struct rec_vehicle *v, const char *why)
{
	size_t len = strlen(v->flag_reason);

	v->flagged = 1;
	snprintf(
	    v->flag_reason + len, sizeof v->flag_reason - len, "%s%.100s", len ? "; " : "", why);
}

static int
vehicle_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_vehicle *v = &r->u.vehicle;
	char list[1024], msg[REC_TEXT + 32], pfx[REC_PLATE];
	int i, given = 0, hot, passenger = 0, rc;

	v->flagged = 0;
	v->flag_reason[0] = '\0';
	/* flag_reason is stored (English, as the hub reads it); the notice is for people. */
	if (rule_high_risk_plate(c, v->plate, pfx, sizeof pfx)) {
		snprintf(msg, sizeof msg, "high-risk plate prefix %s", pfx);
		flag(v, msg);
		snprintf(msg, sizeof msg,
		    _("HIGH-RISK AREA: this plate is from a high-risk region (%s)."), pfx);
		rule_notice(n, msg);
		rule_field(n, REC_VEHICLE, "plate");
	}
	settings_get(c->lb, "high_risk_origins", list, sizeof list, NULL);
	if (v->origin[0] != '\0' && rule_in_list(list, v->origin)) {
		flag(v, "high-risk origin");
		rule_notice(n, _("HIGH-RISK AREA: the origin is a high-risk region."));
		rule_field(n, REC_VEHICLE, "origin");
	}
	while (given < REC_MAX_OCCUPANTS && v->occupant_temps[given] != 0)
		given++;
	/* The driver first, then the passengers: the first fever found is the one named. */
	hot = v->driver_temp;
	for (i = 0; i < given && hot < c->thr; i++)
		if (v->occupant_temps[i] >= c->thr) {
			hot = v->occupant_temps[i];
			passenger = 1;
		}
	c->temp_field = NULL; /* marked below: the driver's or the passengers' */
	rule_fever(
	    c, passenger ? _("passenger") : _("driver"), hot, &v->fever, &v->recheck_due_ms, n);
	if (v->fever) {
		snprintf(msg, sizeof msg, "fever %d.%d (%s)", hot / 10, hot % 10,
		    passenger ? "passenger" : "driver");
		flag(v, msg);
		rule_field(n, REC_VEHICLE, passenger ? "occupant_temps" : "driver_temp");
	}
	if (v->flagged && n != NULL)
		n->flagged = 1;
	if (v->occupants < 0 || v->occupants > REC_MAX_OCCUPANTS)
		return err_set(e, E_INVALID,
		    _("occupants: the passengers besides the driver, 0 to %d"), REC_MAX_OCCUPANTS);
	if (given != v->occupants)
		return err_set(e, E_INVALID,
		    _("occupant_temps: %d temperatures for %d passengers besides the driver; give "
		      "one for each"),
		    given, v->occupants);
	for (i = 0; i < given; i++)
		if ((rc = rule_temp_range("occupant_temps", v->occupant_temps[i], e)) != E_OK)
			return rc;
	return E_OK;
}

static int
vehicle_temp_of(const struct record *r)
{
	const struct rec_vehicle *v = &r->u.vehicle;
	int i, hot = v->driver_temp;

	for (i = 0; i < REC_MAX_OCCUPANTS && v->occupant_temps[i] != 0; i++)
		if (v->occupant_temps[i] > hot)
			hot = v->occupant_temps[i];
	return hot;
}

/* What a one-line row shows. */
static const char *const vehicle_summary[] = {
    "plate", "driver_name", "origin", "flag_reason", NULL};

static int
vehicle_flagged(const struct record *r)
{
	return r->u.vehicle.flagged != 0;
}

static void
vehicle_tally(const struct record *r, struct report *rep)
{
	rep->flagged += vehicle_flagged(r);
}

const struct kind_entry kind_vehicle = {
    .name = "vehicle",
    .label = N_("Vehicle"),
    .fields = KIND_FIELDS(fields),
    .stations = 1 << STATION_TRAFFIC,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE | KE_FEVER,
    .rules = vehicle_rules,
    .temp_of = vehicle_temp_of,
    .summary = vehicle_summary,
    .flagged = vehicle_flagged,
    .tally = vehicle_tally,
};
