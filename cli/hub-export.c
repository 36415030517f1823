/* hub-export.c — outpost-hub export: every record held, as CSV or JSON lines, with the
 * station, identity, device and hub times, and the body as the station wrote it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/hub.h"

static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int hub_cmd_export(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "csv|jsonl", N_("csv for spreadsheets, jsonl for programs"), NULL,
	    OPT_REQUIRED },
	{ "station", "NAME", N_("only this station's records"), NULL, 0 },
	{ "out", "FILE", N_("the file to write (default: standard output)"), NULL, 0 },
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
	sqlite3_stmt *st;
	FILE *f = stdout;
	int rc, jsonl;

	if (a->argc != 0)
		return cli_usage("export");
	hub_cli_args(&h, a);
	jsonl = strcmp(format, "jsonl") == 0;
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (sqlite3_prepare_v2(h.db, jsonl ?
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
	if (out != NULL && (f = fopen(out, "wx")) == NULL) {
		err_set(&e, E_USAGE, _("cannot create %s: %s"), out, strerror(errno));
		sqlite3_finalize(st);
		hub_cli_close(&h);
		return cli_fail(&e);
	}
	if (!jsonl)
		fputs("station,station_id,seq,kind,created_ms,received_ms,clock_flag,body\n", f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (jsonl) {
			fprintf(f, "%s\n", (const char *)sqlite3_column_text(st, 0));
			continue;
		}
		csv_field(f, (const char *)sqlite3_column_text(st, 0));
		fprintf(f, ",%s,%lld,", (const char *)sqlite3_column_text(st, 1),
		    (long long)sqlite3_column_int64(st, 2));
		csv_field(f, (const char *)sqlite3_column_text(st, 3));
		fprintf(f, ",%lld,%lld,%d,", (long long)sqlite3_column_int64(st, 4),
		    (long long)sqlite3_column_int64(st, 5), sqlite3_column_int(st, 6));
		csv_field(f, (const char *)sqlite3_column_text(st, 7));
		fputc('\n', f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		err_set(&e, E_IO, "%s", sqlite3_errmsg(h.db));
	hub_cli_close(&h);
	if (f != stdout && fclose(f) != 0 && rc == SQLITE_DONE) {
		err_set(&e, E_IO, _("cannot write %s: %s"), out, strerror(errno));
		return cli_fail(&e);
	}
	return rc == SQLITE_DONE ? E_OK : cli_fail(&e);
}
