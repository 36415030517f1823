/* hub-export.c — outpost-hub export: every record held, as CSV or JSON lines, with the
 * station, identity, device and hub times, and the body as the station wrote it (personal
 * fields blank once retention purged them). Rows come from the store's export cursor, in
 * short pages, so memory stays flat whatever the store holds. */
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

/* A JSON string of s (bytes as they are; control characters escaped). */
static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* One row in the format; the body goes in as JSON when it is (stations write it on one
 * line), else as a string. */
static void
export_row(FILE *f, int jsonl, const struct hub_export_row *r)
{
	if (!jsonl) {
		csv_field(f, r->station);
		fprintf(f, ",%s,%llu,", r->station_uid, (unsigned long long)r->seq);
		csv_field(f, r->kind);
		fprintf(f, ",%lld,%lld,%d,", (long long)r->created_ms, (long long)r->received_ms,
		    r->clock_flag);
		csv_field(f, r->body);
		fputc('\n', f);
		return;
	}
	fputs("{\"station\":", f);
	json_str(f, r->station);
	fputs(",\"station_id\":", f);
	json_str(f, r->station_uid);
	fprintf(f, ",\"seq\":%llu,\"kind\":", (unsigned long long)r->seq);
	json_str(f, r->kind);
	fprintf(f, ",\"created_ms\":%lld,\"received_ms\":%lld,\"clock_flag\":%d,\"body\":",
	    (long long)r->created_ms, (long long)r->received_ms, r->clock_flag);
	if (r->body_json && strchr(r->body, '\n') == NULL)
		fputs(r->body, f);
	else
		json_str(f, r->body);
	fputs("}\n", f);
}

/* Writes the whole export from cursor c to out (NULL: standard output). The one place the
 * hub export touches a file, so it can follow the station export's way of writing files. */
static int
export_file(struct hub_export *c, int jsonl, const char *out, uint64_t *rows, struct err *e)
{
	const struct hub_export_row *r;
	FILE *f = stdout;
	int rc, got;

	*rows = 0;
	if (out != NULL && (f = fopen(out, "wx")) == NULL)
		return err_set(e, E_USAGE, _("cannot create %s: %s"), out, strerror(errno));
	if (!jsonl)
		fputs("station,station_id,seq,kind,created_ms,received_ms,clock_flag,body\n", f);
	while ((got = hubstore_export_next(c, &r, e)) == 1) {
		export_row(f, jsonl, r);
		(*rows)++;
	}
	rc = got == 0 ? E_OK : E_IO;
	if (fflush(f) != 0 && rc == E_OK)
		rc = err_set(e, E_IO, _("cannot write %s: %s"), out != NULL ? out : "-",
		    strerror(errno));
	if (f != stdout && fclose(f) != 0 && rc == E_OK)
		rc = err_set(e, E_IO, _("cannot write %s: %s"), out, strerror(errno));
	return rc;
}

int
hub_cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		HUB_OPTS,
		{ "format", required_argument, NULL, 'f' },
		{ "station", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	struct hub_export *cur;
	const char *format = NULL, *station = NULL, *out = NULL;
	uint64_t rows;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (hub_cli_opt(c, optarg, &h))
			continue;
		switch (c) {
		case 'f': format = optarg; break;
		case 's': station = optarg; break;
		case 'o': out = optarg; break;
		default: return cli_usage("export");
		}
	}
	if (optind != argc || format == NULL ||
	    (strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0))
		return cli_usage("export");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if ((rc = hubstore_export_open(h.s, station, &cur, &e)) == E_INVALID)
		err_set(&e, E_INVALID,
		    _("--station: no station named '%s' (outpost-hub stations lists them)"), station);
	if (rc == E_OK) {
		rc = export_file(cur, strcmp(format, "jsonl") == 0, out, &rows, &e);
		hubstore_export_close(cur);
	}
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
