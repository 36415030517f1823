/* hub-export.c — outpost-hub export: every record held, as CSV or XLSX in the station
 * export's columns (storage/export.h) with the station and the hub's times around them,
 * or as JSON lines with the body as the station wrote it. Files are written whole. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "cli/hub.h"
#include "storage/clock.h"
#include "storage/export.h"
#include "storage/sheet.h"

/* The hub's columns around the station's (storage/export.h): the same columns, BOM and
 * local times as outpost export, with the station before and the hub's times after. */
static const char *const pre[] = { "station", "station_id" };
static const char *const post[] = { "received", "clock_flag" };

/* One record held, as the station's export would show it. Returns E_OK, 1 if its body
 * could not be read into columns (counted, left to --format jsonl), or E_IO. */
static int
sheet_row(struct sheet *s, const struct export_cols *c, const char *station,
    const char *uid, int64_t seq, const char *kind, int64_t created_ms, const char *body,
    int64_t received_ms, int clock_flag, struct err *e)
{
	struct record r;
	int rc;

	if (export_record_from_body(kind, body, &r) != 0)
		return 1;
	r.seq = seq;	/* the identity and time the hub keeps beside the body */
	r.created_ms = created_ms;
	if ((rc = sheet_text(s, station, e)) != E_OK || (rc = sheet_code(s, uid, e)) != E_OK ||
	    (rc = export_cols_row(c, s, &r, e)) != E_OK ||
	    (rc = sheet_time(s, received_ms, clock_tz_min(received_ms), e)) != E_OK ||
	    (rc = sheet_int(s, clock_flag, e)) != E_OK)
		return rc;
	return sheet_end_row(s, e);
}

static int hub_cmd_export(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "csv|xlsx|jsonl", N_("csv or xlsx for spreadsheets, jsonl for programs"),
	    NULL, OPT_REQUIRED },
	{ "station", "NAME", N_("only this station's records"), NULL, 0 },
	{ "out", "FILE", N_("the file to write, mode 0600 (default: standard output; xlsx "
	    "needs a file)"), NULL, 0 },
	{ "force", NULL, N_("replace FILE if it exists"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_export_entry = {
	"export", "", N_("write every record held"), options, 0, hub_cmd_export,
};

static int
hub_cmd_export(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	const char *format = a->o.format, *station = cli_arg(a, "station");
	const char *out = cli_arg(a, "out");
	struct atomic_file af = { .fd = -1 };
	struct export_cols *cols = NULL;
	struct sheet *sh = NULL;
	sqlite3_stmt *st;
	FILE *f = stdout;
	char dir[4096] = ".";
	int rc, src = SQLITE_DONE, fmt;
	long long unreadable = 0;

	if (a->argc != 0)
		return cli_usage("export");
	fmt = export_format_parse(format);
	if (fmt == EXPORT_XLSX && out == NULL) {
		err_set(&e, E_USAGE, "%s", _("--format xlsx needs --out FILE"));
		return cli_fail(&e);
	}
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (sqlite3_prepare_v2(h.db, fmt == EXPORT_JSONL ?
	    "SELECT json_object('station', s.name, 'station_id', s.uid, 'seq', r.seq, 'kind', "
	    "r.kind, 'created_ms', r.created_ms, 'received_ms', r.received_ms, 'clock_flag', "
	    "r.clock_flag, 'body', CASE WHEN json_valid(r.body) THEN json(r.body) ELSE r.body "
	    "END) FROM records r JOIN stations s ON s.id = r.station_id "
	    "WHERE ?1 IS NULL OR s.name = ?1 ORDER BY s.name, r.seq" :
	    "SELECT s.name, s.uid, r.seq, r.kind, r.created_ms, r.received_ms, r.clock_flag, "
	    "r.body FROM records r JOIN stations s ON s.id = r.station_id "
	    "WHERE ?1 IS NULL OR s.name = ?1 ORDER BY s.name, r.seq", -1, &st, NULL) !=
	    SQLITE_OK) {
		err_set(&e, E_IO, "%s", sqlite3_errmsg(h.db));
		hub_cli_close(&h);
		return cli_fail(&e);
	}
	if (station != NULL)
		sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
	/* written whole, mode 0600: the file holds the district's personal data */
	rc = E_OK;
	if (out != NULL)
		rc = atomic_open(&af, out, (cli_flag(a, "force") ? ATOMIC_FORCE : 0) |
		    (fmt == EXPORT_XLSX ? ATOMIC_NAME : 0), 0600, &e);
	if (rc == E_OK && out != NULL && fmt != EXPORT_XLSX && (f = atomic_stream(&af)) == NULL)
		rc = err_set(&e, E_IO, _("cannot write %s: %s"), out, strerror(errno));
	if (rc == E_OK && fmt != EXPORT_JSONL) {
		if (out != NULL)
			atomic_dir(&af, dir, sizeof dir);
		rc = fmt == EXPORT_XLSX ? sheet_open_xlsx(&sh, af.tmp, dir, &e) :
		    sheet_open_csv(&sh, f, SHEET_BOM, &e);
		if (rc == E_OK && (rc = export_cols_new(0, &cols, &e)) == E_OK)
			rc = export_cols_header(cols, sh, pre, 2, post, 2, &e);
	}
	while (rc == E_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == EXPORT_JSONL) {
			fprintf(f, "%s\n", (const char *)sqlite3_column_text(st, 0));
			rc = ferror(f) ? err_set(&e, E_IO, _("cannot write %s: %s"), out != NULL ?
			    out : "-", strerror(errno)) : E_OK;
			continue;
		}
		rc = sheet_row(sh, cols, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 4),
		    (const char *)sqlite3_column_text(st, 7), sqlite3_column_int64(st, 5),
		    sqlite3_column_int(st, 6), &e);
		if (rc == 1) {
			unreadable++;
			rc = E_OK;
		}
	}
	if (rc == E_OK && src != SQLITE_DONE)
		rc = vault_sqlite_err(h.db, src, &e);	/* damage is not an I/O error */
	sqlite3_finalize(st);
	hub_cli_close(&h);
	export_cols_free(cols);
	if (rc == E_OK && sh != NULL) {
		rc = sheet_close(sh, &e);
		sh = NULL;
	}
	sheet_abort(sh);
	if (rc == E_OK && out == NULL && fflush(stdout) != 0)
		rc = err_set(&e, E_IO, _("cannot write %s: %s"), "-", strerror(errno));
	if (out != NULL && af.dest != NULL) {
		if (rc == E_OK)
			rc = atomic_commit(&af, &e);
		else
			atomic_abort(&af);
	}
	if (rc != E_OK)
		return cli_fail(&e);
	if (unreadable > 0)
		fprintf(stderr, _("outpost-hub export: %lld records could not be read into "
		    "columns and are left out; --format jsonl keeps them whole\n"),
		    (long long)unreadable);
	return E_OK;
}
