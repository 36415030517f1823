/* watchlist.c — ID numbers and plates to watch for, with a reason and an end date: applied
 * from the hub with a version cursor or imported from a CSV file; matched on every record. */
#include <stdio.h>
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "base/utf8.h"
#include "storage/clock.h"
#include "storage/csv.h"
#include "storage/store.h"
#include "storage/validate.h"
#include "storage/watchlist.h"

/* A watchlist ID value: a resident ID (checked as GB 11643 says) or, with letters in it, a
 * passport or permit number of 5 to 20 letters and digits. */
static int
check_id_value(const char *v, struct err *e)
{
	struct id_result id;
	size_t i, n = strlen(v), letters = 0;

	for (i = 0; i < n; i++) {
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z')))
			return err_set(e, E_INVALID, "%s",
			    _("value: an ID number has only letters and digits"));
		letters += v[i] >= 'A' && v[i] <= 'Z';
	}
	if (letters == 0 || (letters == 1 && n == 18 && v[17] == 'X')) {
		/* A wrong check character is kept: a record may be saved with the very same
		 * number as unverified, and must still match. Any other fault is refused. */
		if (validate_id(v, NULL, &id) != VALIDATE_OK &&
		    !(id.norm[0] != '\0' && id.birth[0] != '\0' && id.expected_check != 0 &&
			id.norm[17] != id.expected_check))
			return err_set(e, E_INVALID, _("value: %s"), id.msg);
		return E_OK;
	}
	if (n < 5 || n > 20)
		return err_set(e, E_INVALID, "%s",
		    _("value: a passport or permit number has 5 to 20 letters and digits"));
	return E_OK;
}

static int
check(const struct watch_entry *w, struct watch_entry *norm, struct err *e)
{
	struct plate_result pr;
	int y, m, d, rc;

	*norm = *w;
	if (strcmp(w->type, "id") != 0 && strcmp(w->type, "plate") != 0)
		return err_set(e, E_INVALID, _("type: '%s' is not id or plate"),
		    utf8_valid_str(w->type) ? w->type : "?");
	if ((rc = text_check(w->value, 0, "value", e)) != E_OK ||
	    (rc = text_check(w->reason, 0, "reason", e)) != E_OK ||
	    (rc = text_check(w->until, 0, "until", e)) != E_OK)
		return rc;
	store_fold(w->value, norm->value, sizeof norm->value);
	if (norm->value[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("value: required"));
	if (strcmp(w->type, "id") == 0 && (rc = check_id_value(norm->value, e)) != E_OK)
		return rc;
	if (strcmp(w->type, "plate") == 0 && validate_plate(norm->value, &pr) == VALIDATE_INVALID)
		return err_set(e, E_INVALID, _("value: %s"), pr.msg);
	if (w->until[0] != '\0' && (rc = parse_date(w->until, "until", &y, &m, &d, e)) != E_OK)
		return rc;
	return E_OK;
}

static int
put(struct logbook *lb, const struct watch_entry *w, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "INSERT INTO watchlist(type, value, reason, until, removed, "
		 "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(type, value) DO UPDATE SET "
		 "reason = ?3, until = ?4, removed = ?5, version = ?6 WHERE ?6 = 0 OR ?6 > version",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, w->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w->until, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, w->removed != 0);
	sqlite3_bind_int64(st, 6, w->version);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

int
watchlist_apply(struct logbook *lb, const struct watch_entry *w, struct err *e)
{
	struct watch_entry n;
	int rc;

	if ((rc = check(w, &n, e)) != E_OK)
		return rc;
	if (n.version <= 0)
		return err_set(e, E_INVALID, "%s", _("version: an entry from the hub needs one"));
	return put(lb, &n, e);
}

int64_t
watchlist_version(struct logbook *lb)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (store_prepare(lb, "SELECT coalesce(max(version), 0) FROM watchlist", &st, NULL) != E_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct import {
	struct logbook *lb;
	struct err *e;
	int count;
	int rc;
};

static int
import_row(void *arg, size_t line, char **f, size_t n)
{
	struct import *im = arg;
	struct watch_entry w;
	struct err e2;

	if (line == 1 && n >= 2 && strcmp(f[0], "type") == 0)
		return 0; /* the header */
	memset(&w, 0, sizeof w);
	if (n < 3 || n > 4) {
		err_set(im->e, E_INVALID, _("line %zu: want type,value,reason[,until]"), line);
		return im->rc = E_INVALID;
	}
	if (strlen(f[0]) >= sizeof w.type || strlen(f[1]) >= sizeof w.value ||
	    strlen(f[2]) >= sizeof w.reason || (n == 4 && strlen(f[3]) >= sizeof w.until)) {
		err_set(im->e, E_INVALID, _("line %zu: a field is too long"), line);
		return im->rc = E_INVALID;
	}
	snprintf(w.type, sizeof w.type, "%s", f[0]);
	snprintf(w.value, sizeof w.value, "%s", f[1]);
	snprintf(w.reason, sizeof w.reason, "%s", f[2]);
	if (n == 4)
		snprintf(w.until, sizeof w.until, "%s", f[3]);
	if ((im->rc = check(&w, &w, &e2)) == E_OK)
		im->rc = put(im->lb, &w, &e2);
	if (im->rc != E_OK) {
		err_set(im->e, im->rc, _("line %zu: %s"), line, e2.msg);
		return im->rc;
	}
	im->count++;
	return 0;
}

int
watchlist_import(struct logbook *lb, const char *path, int *count, struct err *e)
{
	struct import im = {lb, e, 0, E_OK};
	FILE *f;
	int rc;

	*count = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return err_set(e, E_IO, _("cannot open the watchlist file: %m"));
	if ((rc = store_begin(lb, e)) != E_OK) {
		fclose(f);
		return rc;
	}
	rc = csv_read(f, import_row, &im, e);
	fclose(f);
	if (rc != E_OK) {
		store_rollback(lb);
		return rc;
	}
	if ((rc = store_commit(lb, e)) == E_OK)
		*count = im.count;
	return rc;
}

int
watchlist_list(
    struct logbook *lb, int (*cb)(const struct watch_entry *w, void *arg), void *arg, struct err *e)
{
	struct watch_entry w;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "SELECT type, value, reason, until, removed, version FROM "
		 "watchlist ORDER BY type, value",
		 &st, e)) != E_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&w, 0, sizeof w);
		snprintf(w.type, sizeof w.type, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(w.value, sizeof w.value, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(w.reason, sizeof w.reason, "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(w.until, sizeof w.until, "%s", (const char *)sqlite3_column_text(st, 3));
		w.removed = sqlite3_column_int(st, 4);
		w.version = sqlite3_column_int64(st, 5);
		if (cb(&w, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

int
watchlist_match(struct logbook *lb, const char *type, const char *value, struct watch_entry *w,
    struct err *e)
{
	char norm[REC_IDNUM * 2], today[16];
	int64_t now = clock_now_ms();
	sqlite3_stmt *st;
	int found = LOOKUP_NO, rc;

	store_fold(value, norm, sizeof norm);
	clock_format_day(clock_day(now, clock_tz_min(now)), today, sizeof today);
	if (store_prepare(lb,
		"SELECT type, value, reason, until, version FROM watchlist WHERE "
		"type = ?1 AND value = ?2 AND removed = 0 AND (until = '' OR until >= ?3)",
		&st, e) != E_OK)
		return LOOKUP_ERROR;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_err(lb->db, rc, e);
		found = LOOKUP_ERROR;
	} else if (rc == SQLITE_ROW) {
		found = LOOKUP_YES;
		if (w != NULL) {
			memset(w, 0, sizeof *w);
			snprintf(w->type, sizeof w->type, "%s",
			    (const char *)sqlite3_column_text(st, 0));
			snprintf(w->value, sizeof w->value, "%s",
			    (const char *)sqlite3_column_text(st, 1));
			snprintf(w->reason, sizeof w->reason, "%s",
			    (const char *)sqlite3_column_text(st, 2));
			snprintf(w->until, sizeof w->until, "%s",
			    (const char *)sqlite3_column_text(st, 3));
			w->version = sqlite3_column_int64(st, 4);
		}
	}
	sqlite3_finalize(st);
	return found;
}
