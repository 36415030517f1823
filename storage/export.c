/* export.c — records out for people and programs: CSV through storage/csv.h (BOM, RFC 4180,
 * formula guard) with one column per field, or JSON Lines with the canonical body inside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/utf8.h"
#include "storage/clock.h"
#include "storage/csv.h"
#include "storage/export.h"
#include "storage/fields.h"
#include "storage/query.h"
#include "storage/store.h"

int
export_format_parse(const char *s)
{
	if (s != NULL && strcmp(s, "csv") == 0)
		return EXPORT_CSV;
	if (s != NULL && strcmp(s, "jsonl") == 0)
		return EXPORT_JSONL;
	return -1;
}

/* The columns: the envelope, then each field name once in kind order. */
#define MAX_COLS 128
static const char *const envelope[] = {"ref", "version", "kind", "action", "created", "operator",
    "shift", "change_reason", "alert", "deleted"};
#define NENV (sizeof envelope / sizeof envelope[0])

struct exporter {
	FILE *f;
	int format;
	struct csv_writer w;
	const char *cols[MAX_COLS];
	size_t ncols;
	int64_t count;
	int rc;
	struct err *e;
};

static void
add_col(struct exporter *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->ncols; i++)
		if (strcmp(x->cols[i], name) == 0)
			return;
	if (x->ncols < MAX_COLS)
		x->cols[x->ncols++] = name;
}

static int
csv_one(struct exporter *x, const struct record *r)
{
	char buf[REC_TEXT * 2], t[40];
	const struct rec_field *f;
	size_t i;
	int rc = E_OK;

	for (i = 0; i < x->ncols && rc == E_OK; i++) {
		const char *v = "";

		buf[0] = '\0';
		if (i < NENV) {
			switch (i) {
			case 0:
				snprintf(buf, sizeof buf, "%lld", (long long)r->root_seq);
				break;
			case 1:
				snprintf(buf, sizeof buf, "%lld", (long long)r->seq);
				break;
			case 2:
				v = rec_kind_name(r->kind);
				break;
			case 3:
				v = rec_action_name(r->action);
				break;
			case 4:
				clock_format_iso(r->created_ms, r->tz_min, t, sizeof t);
				v = t;
				break;
			case 5:
				v = r->operator_name;
				break;
			case 6:
				snprintf(buf, sizeof buf, "%lld", (long long)r->shift);
				break;
			case 7:
				v = r->reason;
				break;
			case 8:
				v = r->alert;
				break;
			case 9:
				v = r->deleted ? "1" : "0";
				break;
			}
			if (buf[0] != '\0')
				v = buf;
		} else if ((f = rec_field_find(r->kind, x->cols[i])) != NULL) {
			rec_field_format(r, f, buf, sizeof buf);
			v = buf;
		}
		rc = csv_field(&x->w, v, x->e);
	}
	return rc == E_OK ? csv_end_row(&x->w, x->e) : rc;
}

void
export_json_str(FILE *f, const char *s)
{
	size_t left = strlen(s);
	uint32_t cp;
	int k;

	fputc('"', f);
	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;

		/* Controls, C1 and bidi overrides as \u escapes (the same text, safe on a
		 * terminal); a byte that is not UTF-8 as U+FFFD. */
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			fputc(c, f);
			k = 1;
		} else if ((k = utf8_decode((const unsigned char *)s, left, &cp)) == 0) {
			fputs("\\ufffd", f);
			k = 1;
		} else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (text_cp_refused(cp))
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(s, 1, (size_t)k, f);
		s += k;
		left -= (size_t)k;
	}
	fputc('"', f);
}

static int
jsonl_one(struct exporter *x, const struct record *r)
{
	char *body = body_encode(r), t[40];

	if (body == NULL)
		return err_set(x->e, E_IO, "%s", _("out of memory"));
	clock_format_iso(r->created_ms, r->tz_min, t, sizeof t);
	fprintf(
	    x->f, "{\"station\":\"%s\",\"seq\":%lld,\"kind\":", r->station_id, (long long)r->seq);
	export_json_str(x->f, rec_kind_name(r->kind));
	fprintf(x->f, ",\"created_ms\":%lld,\"created\":\"%s\",\"deleted\":%d,\"body\":%s}\n",
	    (long long)r->created_ms, t, r->deleted, body);
	free(body);
	return ferror(x->f) ? err_set(x->e, E_IO, "%s", _("cannot write the export")) : E_OK;
}

static int
export_one(const struct record *r, void *arg)
{
	struct exporter *x = arg;

	x->rc = x->format == EXPORT_CSV ? csv_one(x, r) : jsonl_one(x, r);
	if (x->rc == E_OK)
		x->count++;
	return x->rc != E_OK;
}

int
export_write(struct logbook *lb, FILE *f, int format, const struct rec_query *q, int64_t *count,
    struct err *e)
{
	struct exporter x;
	const struct rec_field *fl;
	size_t i, n;
	int k, rc;

	memset(&x, 0, sizeof x);
	x.f = f;
	x.format = format;
	x.e = e;
	if (format == EXPORT_CSV) {
		for (i = 0; i < NENV; i++)
			add_col(&x, envelope[i]);
		for (k = 1; k < REC_KIND_COUNT; k++) {
			if (q->kind > 0 && k != q->kind)
				continue;
			fl = rec_fields(k, &n);
			for (i = 0; i < n; i++)
				add_col(&x, fl[i].name);
		}
		if ((rc = csv_writer_init(&x.w, f, CSV_BOM, e)) != E_OK ||
		    (rc = csv_write_row(&x.w, x.cols, x.ncols, e)) != E_OK)
			return rc;
	}
	if ((rc = rec_list(lb, q, export_one, &x, e)) != E_OK)
		return rc;
	if (x.rc != E_OK)
		return x.rc;
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, E_IO, "%s", _("cannot write the export"));
	if (count != NULL)
		*count = x.count;
	return E_OK;
}
