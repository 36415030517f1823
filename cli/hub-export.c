/* hub-export.c — outpost-hub export: every record held, from the store's export cursor (in
 * short pages, so memory stays flat), as CSV or XLSX in the station export's columns
 * (storage/export.h) with the station and the hub's times around them, or as JSON lines
 * with the body as the station wrote it (personal fields blank once retention purged them).
 * Files are written whole (base/file.h), mode 0600. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/file.h"
#include "base/parse.h"
#include "cli/hub.h"
#include "hub/export-ahead.h"
#include "storage/clock.h"
#include "storage/export.h"
#include "storage/sheet.h"

/* The hub's columns around the station's (storage/export.h): the same columns, BOM and
 * local times as outpost export, with the station before and the hub's times after. */
static const char *const pre[] = { "station", "station_id" };
static const char *const post[] = { "received", "clock_flag" };

/* One record held, as the station's export would show it (its body read into it->rec on
 * the read-ahead thread or this one: hub/export-ahead.h). Returns E_OK, 1 if its body
 * could not be read into columns (counted, left to --format jsonl), or E_IO. */
static int
sheet_row(struct sheet *s, struct export_cols *c, struct clock_tz_memo *tz,
    const struct export_item *it, struct err *e)
{
	const struct hub_export_row *h = &it->row;
	int rc;

	if (it->decoded != 1)
		return 1;
	if ((rc = sheet_text(s, h->station, e)) != E_OK ||
	    (rc = sheet_code(s, h->station_uid, e)) != E_OK ||
	    (rc = export_cols_row(c, s, &it->rec, e)) != E_OK ||
	    (rc = sheet_time(s, h->received_ms, clock_tz_min_memo(tz, h->received_ms), e)) != E_OK ||
	    (rc = sheet_int(s, h->clock_flag, e)) != E_OK)
		return rc;
	return sheet_end_row(s, e);
}

/* A JSON string of s (bytes as they are; control characters escaped), in runs. */
static void
json_str(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7] = "\\u00";
	const char *p;

	putc('"', f);
	for (;;) {
		for (p = s; (unsigned char)*p >= 0x20 && *p != '"' && *p != '\\'; p++)
			;
		fwrite(s, 1, (size_t)(p - s), f);
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			putc('\\', f);
			putc(*p, f);
		} else {
			esc[4] = hex[(unsigned char)*p >> 4];
			esc[5] = hex[(unsigned char)*p & 15];
			fwrite(esc, 1, 6, f);
		}
		s = p + 1;
	}
	putc('"', f);
}

static void
json_int(FILE *f, const char *key, int64_t v)
{
	char buf[24];

	fputs(key, f);
	fwrite(buf, 1, fmt_int(v, buf), f);
}

/* One JSON line; the body goes in as JSON when it is (stations write it on one
 * line), else as a string. */
static void
export_row(FILE *f, const struct hub_export_row *r)
{
	fputs("{\"station\":", f);
	json_str(f, r->station);
	fputs(",\"station_id\":", f);
	json_str(f, r->station_uid);
	json_int(f, ",\"seq\":", (int64_t)r->seq);
	fputs(",\"kind\":", f);
	json_str(f, r->kind);
	json_int(f, ",\"created_ms\":", r->created_ms);
	json_int(f, ",\"received_ms\":", r->received_ms);
	json_int(f, ",\"clock_flag\":", r->clock_flag);
	fputs(",\"body\":", f);
	if (r->body_json && strchr(r->body, '\n') == NULL)
		fputs(r->body, f);
	else
		json_str(f, r->body);
	fputs("}\n", f);
}

/* The output stream's buffer: glibc's setvbuf ignores the size it is given without a
 * buffer (it keeps its 4 KiB one, a write(2) every dozen rows: 66 000 for 1M rows), so
 * the export gives it one, 64 KiB (a sixteenth of the writes), static because the
 * stream (standard output) outlives the export; wiped once the export is written out,
 * since it held the rows. */
static char out_buf[64 << 10];

/* Writes the export from cursor c: to out written whole, or to standard output. The
 * cursor is read on a second thread (hub/export-ahead.h) while this one writes. */
static int
export_file(struct hub_export *c, int fmt, const char *out, int force, long long *unreadable,
    struct err *e)
{
	const struct export_item *it;
	struct export_ahead *ahead = NULL;
	struct atomic_file af = { .fd = -1 };
	struct export_cols *cols = NULL;
	struct sheet *sh = NULL;
	struct clock_tz_memo tz = { 0 };
	char dir[4096] = ".";
	FILE *f = stdout;
	int rc = E_OK, got = 0;

	if (out != NULL)
		rc = atomic_open(&af, out, (force ? ATOMIC_FORCE : 0) |
		    (fmt == EXPORT_XLSX ? ATOMIC_NAME : 0), 0600, e);
	if (rc == E_OK && out != NULL && fmt != EXPORT_XLSX && (f = atomic_stream(&af)) == NULL)
		rc = err_set(e, E_IO, _("cannot write %s: %s"), out, strerror(errno));
	if (rc == E_OK && fmt != EXPORT_XLSX)
		setvbuf(f, out_buf, _IOFBF, sizeof out_buf);
	if (rc == E_OK && fmt != EXPORT_JSONL) {
		if (out != NULL)
			atomic_dir(&af, dir, sizeof dir);
		rc = fmt == EXPORT_XLSX ? sheet_open_xlsx(&sh, af.tmp, dir, e) :
		    sheet_open_csv(&sh, f, SHEET_BOM, e);
		if (rc == E_OK && (rc = export_cols_new(0, &cols, e)) == E_OK)
			rc = export_cols_header(cols, sh, pre, 2, post, 2, e);
	}
	if (rc == E_OK)
		rc = export_ahead_open(c, fmt == EXPORT_JSONL ? 0 : EXPORT_AHEAD_DECODE, &ahead, e);
	while (rc == E_OK && (got = export_ahead_next(ahead, &it, e)) == 1) {
		if (fmt == EXPORT_JSONL) {
			export_row(f, &it->row);
			rc = ferror(f) ? err_set(e, E_IO, _("cannot write %s: %s"), out != NULL ?
			    out : "-", strerror(errno)) : E_OK;
		} else if ((rc = sheet_row(sh, cols, &tz, it, e)) == 1) {
			(*unreadable)++;
			rc = E_OK;
		}
	}
	if (rc == E_OK && got != 0)
		rc = E_IO;	/* the cursor set e */
	export_ahead_close(ahead);	/* before anything else: it stops the thread */
	export_cols_free(cols);
	if (rc == E_OK && sh != NULL) {
		rc = sheet_close(sh, e);
		sh = NULL;
	}
	sheet_abort(sh);
	/* on an error too: the rows before it go out (and then the buffer is wiped) */
	if (out == NULL && fflush(stdout) != 0 && rc == E_OK)
		rc = err_set(e, E_IO, _("cannot write %s: %s"), "-", strerror(errno));
	if (out != NULL && af.dest != NULL) {
		if (rc == E_OK)
			rc = atomic_commit(&af, e);
		else
			atomic_abort(&af);
	}
	sodium_memzero(out_buf, sizeof out_buf);
	return rc;
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
	struct hub_export *cur;
	const char *station = cli_arg(a, "station"), *out = cli_arg(a, "out");
	long long unreadable = 0;
	int rc, fmt = export_format_parse(a->o.format);

	if (a->argc != 0)
		return cli_usage("export");
	if (fmt == EXPORT_XLSX && out == NULL) {
		err_set(&e, E_USAGE, "%s", _("--format xlsx needs --out FILE"));
		return cli_fail(&e);
	}
	hub_cli_args(&h, a);
#ifdef M_TRIM_THRESHOLD
	/* each page's rows are freed before the next is read: without this the C library
	 * hands the heap's top back to the kernel and takes it again every page (a tenth
	 * of the CPU on PostgreSQL); the peak stays that of one page */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if ((rc = hubstore_export_open(h.s, station, &cur, &e)) == E_INVALID)
		err_set(&e, E_INVALID,
		    _("--station: no station named '%s' (outpost-hub stations lists them)"), station);
	if (rc == E_OK) {
		rc = export_file(cur, fmt, out, cli_flag(a, "force") > 0, &unreadable, &e);
		hubstore_export_close(cur);
	}
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	if (unreadable > 0)
		fprintf(stderr, _("outpost-hub export: %lld records could not be read into "
		    "columns and are left out; --format jsonl keeps them whole\n"), unreadable);
	return E_OK;
}
