/* settings.c — the station's settings: a key/value table in the logbook, each key with a
 * default and a check, set locally or applied from the hub with a configuration version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/store.h"
#include "storage/validate.h"

const struct setting_def settings_keys[] = {
    {"station_id", "", N_("the station's identity (fixed)"), 1, 0, 0},
    {"kind", "", N_("station kind: traffic, gate or triage (fixed)"), 1, 0, 0},
    {"name", "", N_("station name"), 0, 0, 0},
    {"fever_threshold", "37.3", N_("fever at or above this temperature, °C"), 0, 0, 0},
    {"recheck_minutes", "15", N_("minutes before a fever's recheck is due"), 0, 0, 24 * 60},
    {"high_risk_plates", "", N_("plate prefixes flagged high-risk, comma-separated"), 0, 0, 0},
    {"high_risk_origins", "", N_("origins flagged high-risk, comma-separated"), 0, 0, 0},
    {"outing_quota", "1/2", N_("outings per household: persons/days"), 0, 0, 0},
    {"retention_days", "28", N_("days before purge blanks personal fields"), 0, 1, 3650},
    {"bin_window_hours", "24", N_("hours before an uncollected bin is overdue"), 0, 1, 24 * 31},
    {"hub", "", N_("the district hub's endpoint"), 0, 0, 0},
    {"temp_required", "entries",
     N_("passages measured at a gate: visitors, entries (visitors and residents coming in), all "
	"or off"),
     0, 0, 0},
    {"idle_lock_minutes", "5", N_("idle minutes before the screen locks itself; 0: never"), 0, 0,
     120},
    {NULL, NULL, NULL, 0, 0, 0},
};

static const struct setting_def *
find(const char *key)
{
	const struct setting_def *d;

	for (d = settings_keys; d->key != NULL; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

static int
int_in(const char *v, long lo, long hi, long *out)
{
	int64_t n;

	if (parse_int(v, lo, hi, "", &n, NULL) != E_OK)
		return -1;
	if (out != NULL)
		*out = (long)n;
	return 0;
}

/* E_OK, or E_INVALID naming the key and what a good value is. */
static int
check(const struct setting_def *d, const char *v, struct err *e)
{
	const char *key = d->key;
	struct temp_result t;
	long a, b;
	char *slash;
	int rc;

	if (strlen(v) >= 1024)
		return err_set(e, E_INVALID, _("%s is too long"), key);
	if ((rc = text_check(v, 0, key, e)) != E_OK)
		return rc;
	if (d->hi > 0) {
		if (int_in(v, d->lo, d->hi, NULL) != 0)
			return err_set(e, E_INVALID, _("%s must be a whole number from %ld to %ld"),
			    key, d->lo, d->hi);
	} else if (strcmp(key, "name") == 0) {
		if (v[0] == '\0' || strlen(v) >= LOGBOOK_NAME_MAX)
			return err_set(
			    e, E_INVALID, _("name must be 1 to %d bytes"), LOGBOOK_NAME_MAX - 1);
	} else if (strcmp(key, "fever_threshold") == 0) {
		if (validate_temp(v, 373, &t) != VALIDATE_OK || t.tenths < 350 || t.tenths > 420)
			return err_set(e, E_INVALID, "%s",
			    _("fever_threshold must be a temperature "
			      "between 35.0 and 42.0"));
	} else if (strcmp(key, "temp_required") == 0) {
		if (strcmp(v, "visitors") != 0 && strcmp(v, "entries") != 0 &&
		    strcmp(v, "all") != 0 && strcmp(v, "off") != 0)
			return err_set(e, E_INVALID, "%s",
			    _("temp_required must be visitors, entries, all or off"));
	} else if (strcmp(key, "outing_quota") == 0) {
		char buf[32];

		if (strlen(v) >= sizeof buf)
			return err_set(e, E_INVALID, "%s", _("outing_quota must be persons/days"));
		memcpy(buf, v, strlen(v) + 1);
		slash = strchr(buf, '/');
		if (slash != NULL)
			*slash = '\0';
		if (slash == NULL || int_in(buf, 1, 100, &a) != 0 ||
		    int_in(slash + 1, 1, 31, &b) != 0)
			return err_set(e, E_INVALID, "%s",
			    _("outing_quota must be persons/days, "
			      "e.g. 1/2 (1 to 100 persons per 1 to 31 days)"));
	}
	return E_OK;
}

int
settings_get(struct logbook *lb, const char *key, char *buf, size_t n, struct err *e)
{
	const struct setting_def *d = find(key);
	sqlite3_stmt *st;
	int rc;

	if (d == NULL)
		return err_set(e, E_INVALID, _("unknown setting '%s'"), key);
	if ((rc = store_prepare(lb, "SELECT value FROM settings WHERE key = ?1", &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		snprintf(buf, n, "%s", d->def);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	return E_OK;
}

int
settings_get_int(struct logbook *lb, const char *key)
{
	const struct setting_def *d = find(key);
	char buf[64];

	if (d == NULL)
		return 0;
	if (settings_get(lb, key, buf, sizeof buf, NULL) != E_OK ||
	    int_in(buf, -(1L << 30), 1L << 30, NULL) != 0)
		snprintf(buf, sizeof buf, "%s", d->def);
	return atoi(buf);
}

int
settings_get_deci(struct logbook *lb, const char *key)
{
	const struct setting_def *d = find(key);
	struct temp_result t;
	char buf[64];

	if (d == NULL)
		return 0;
	if (settings_get(lb, key, buf, sizeof buf, NULL) != E_OK ||
	    validate_temp(buf, 373, &t) != VALIDATE_OK)
		validate_temp(d->def, 373, &t);
	return t.tenths;
}

static int
store(struct logbook *lb, const char *key, const char *value, int64_t version, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "INSERT INTO settings(key, value, version, updated_ms) "
		 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET value = ?2, "
		 "version = max(version, ?3), updated_ms = ?4",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, version);
	sqlite3_bind_int64(st, 4, clock_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

/* E_OK if key is a setting that may be set to value. */
static int
settable(const char *key, const char *value, struct err *e)
{
	const struct setting_def *d = find(key);

	if (d == NULL)
		return err_set(e, E_INVALID, _("unknown setting '%s'"), key);
	if (d->readonly)
		return err_set(e, E_INVALID, _("%s is fixed when the logbook is created"), key);
	return check(d, value, e);
}

int
settings_set(struct logbook *lb, const char *key, const char *value, struct err *e)
{
	char plain[1024];
	int rc;

	/* numbers and lists typed with a Chinese input method (１５, ３７．３, 鄂Ａ，鄂Ｂ) as
	 * plain ones before they are checked; the station's name is kept as typed */
	if (strcmp(key, "name") != 0 &&
	    validate_halfwidth(value, plain, sizeof plain, strcmp(key, "fever_threshold") == 0) >= 0)
		value = plain;
	if ((rc = settable(key, value, e)) != E_OK)
		return rc;
	return store(lb, key, value, 0, e);
}

static int64_t
key_version(struct logbook *lb, const char *key)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (store_prepare(lb, "SELECT version FROM settings WHERE key = ?1", &st, NULL) != E_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
settings_apply(
    struct logbook *lb, const char *key, const char *value, int64_t version, struct err *e)
{
	int rc;

	if ((rc = settable(key, value, e)) != E_OK)
		return rc;
	if (version <= key_version(lb, key))
		return E_OK;
	return store(lb, key, value, version, e);
}

int64_t
settings_version(struct logbook *lb)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (store_prepare(lb, "SELECT max(version) FROM settings", &st, NULL) != E_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}
