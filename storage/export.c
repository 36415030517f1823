/* export.c — records out for people and programs: CSV or XLSX through storage/sheet.h, one
 * column per field (and a label beside each code), or JSON Lines with the canonical body. */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/utf8.h"
#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/sheet.h"
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
	if (s != NULL && strcmp(s, "xlsx") == 0)
		return EXPORT_XLSX;
	return -1;
}

/* The columns: the envelope, then each field name once in kind order, a label column
 * after each coded one (kind, choices) for people to read. */
#define MAX_COLS 160
enum col_src { C_REF, C_VERSION, C_KIND, C_KIND_LABEL, C_ACTION, C_CREATED, C_OPERATOR,
	C_SHIFT, C_REASON, C_ALERT, C_DELETED, C_FIELD, C_LABEL };
static const struct {
	const char *name;
	int src;
} envelope[] = {
	{"ref", C_REF}, {"version", C_VERSION}, {"kind", C_KIND}, {"kind_label", C_KIND_LABEL},
	{"action", C_ACTION}, {"created", C_CREATED}, {"operator", C_OPERATOR},
	{"shift", C_SHIFT}, {"change_reason", C_REASON}, {"alert", C_ALERT},
	{"deleted", C_DELETED},
};
#define NENV (sizeof envelope / sizeof envelope[0])

/* A label column's last code and its words: a code's label depends on the field and the
 * code alone, and gettext costs more than the rest of the row, so each column remembers
 * the last one it looked up (an export repeats a few codes millions of times). */
struct label_memo {
	const struct rec_field *f;	/* NULL: nothing yet */
	char code[64];
	char label[REC_TEXT * 2];
};

struct export_cols {
	size_t n;
	struct {
		char name[72];
		int src;
		/* the field of each kind this column shows, NULL where the kind has none */
		const struct rec_field *f[REC_KIND_COUNT];
		struct label_memo *memo;	/* C_LABEL columns: one per kind */
	} c[MAX_COLS];
	const char *kind_label[REC_KIND_COUNT];	/* in the interface's language */
	/* empty[k][i]: how many columns from i on have no field of kind k (most of a row's:
	 * each kind has its own), written at once */
	unsigned char empty[REC_KIND_COUNT][MAX_COLS];
};

static int
cols_find(const struct export_cols *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->c[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
cols_add(struct export_cols *c, const char *name, int src, int kind, const struct rec_field *f)
{
	int i = cols_find(c, name);

	if (i < 0) {
		if (c->n >= MAX_COLS)
			return;
		i = (int)c->n++;
		snprintf(c->c[i].name, sizeof c->c[i].name, "%s", name);
		c->c[i].src = src;
	}
	if (f != NULL)
		c->c[i].f[kind] = f;
}

int
export_cols_new(int kind, struct export_cols **out, struct err *e)
{
	struct export_cols *c;
	const struct rec_field *fl;
	char label[80];
	size_t i, n;
	int k;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	for (i = 0; i < NENV; i++)
		cols_add(c, envelope[i].name, envelope[i].src, 0, NULL);
	for (k = 1; k < REC_KIND_COUNT; k++) {
		if (kind > 0 && k != kind)
			continue;
		fl = rec_fields(k, &n);
		for (i = 0; i < n; i++) {
			cols_add(c, fl[i].name, C_FIELD, k, &fl[i]);
			if (fl[i].type == FT_ENUM || fl[i].type == FT_FLAGS) {
				snprintf(label, sizeof label, "%s_label", fl[i].name);
				cols_add(c, label, C_LABEL, k, &fl[i]);
			}
		}
	}
	for (i = 0; i < c->n; i++)
		if (c->c[i].src == C_LABEL && (c->c[i].memo = calloc(REC_KIND_COUNT,
		    sizeof *c->c[i].memo)) == NULL) {
			export_cols_free(c);
			return err_set(e, E_IO, "%s", _("out of memory"));
		}
	for (k = 1; k < REC_KIND_COUNT; k++) {
		c->kind_label[k] = label_kind(k);
		for (i = c->n; i-- > 0;)
			if ((c->c[i].src == C_FIELD || c->c[i].src == C_LABEL) &&
			    c->c[i].f[k] == NULL)
				c->empty[k][i] = (unsigned char)(i + 1 < c->n &&
				    c->empty[k][i + 1] < 255 ? c->empty[k][i + 1] + 1 : 1);
	}
	*out = c;
	return E_OK;
}

void
export_cols_free(struct export_cols *c)
{
	size_t i;

	for (i = 0; c != NULL && i < c->n; i++)
		free(c->c[i].memo);
	free(c);
}

int
export_cols_header(const struct export_cols *c, struct sheet *s, const char *const *pre,
    size_t npre, const char *const *post, size_t npost, struct err *e)
{
	const char *names[MAX_COLS + 16];
	size_t i, n = 0;

	for (i = 0; i < npre && n < MAX_COLS + 16; i++)
		names[n++] = pre[i];
	for (i = 0; i < c->n; i++)
		names[n++] = c->c[i].name;
	for (i = 0; i < npost && n < MAX_COLS + 16; i++)
		names[n++] = post[i];
	return sheet_header(s, names, n, e);
}

static int
field_cell(struct sheet *s, const struct record *r, const struct rec_field *f,
    struct label_memo *memo, struct err *e)
{
	char buf[REC_TEXT * 2], lab[REC_TEXT * 2];

	if (f == NULL)
		return sheet_text(s, "", e);
	if (f->type == FT_SEQ && (f->flags & FF_MS))
		return sheet_time(s, *(const int64_t *)(const void *)((const char *)r + f->off),
		    r->tz_min, e);
	/* a text ended inside its field is what rec_field_format would copy out: as it is */
	if (f->type == FT_TEXT && memo == NULL && f->size <= sizeof buf &&
	    memchr((const char *)r + f->off, '\0', f->size) != NULL)
		return sheet_code(s, (const char *)r + f->off, e);
	rec_field_format(r, f, buf, sizeof buf);
	if (memo != NULL) {
		/* the codes' words in the interface's language (storage/labels.h) */
		if (memo->f == f && strcmp(memo->code, buf) == 0)
			return sheet_text(s, memo->label, e);
		label_field(r, f, 0, lab, sizeof lab);
		if (strlen(buf) < sizeof memo->code) {
			memo->f = f;
			memcpy(memo->code, buf, strlen(buf) + 1);
			memcpy(memo->label, lab, sizeof lab);
		}
		return sheet_text(s, lab, e);
	}
	switch (f->type) {
	case FT_INT:
	case FT_DECI:
	case FT_SEQ:
	case FT_BOOL:
		return sheet_number(s, buf, e);
	case FT_TEXT:
		return sheet_code(s, buf, e);
	default:
		return sheet_text(s, buf, e);
	}
}

int
export_cols_row(struct export_cols *c, struct sheet *s, const struct record *r,
    struct err *e)
{
	size_t i;
	int rc = E_OK;

	for (i = 0; i < c->n && rc == E_OK; i++) {
		switch (c->c[i].src) {
		case C_REF:
			rc = sheet_int(s, r->root_seq, e);
			break;
		case C_VERSION:
			rc = sheet_int(s, r->seq, e);
			break;
		case C_KIND:
			rc = sheet_text(s, rec_kind_name(r->kind), e);
			break;
		case C_KIND_LABEL:
			rc = sheet_text(s, r->kind > 0 && r->kind < REC_KIND_COUNT ?
			    c->kind_label[r->kind] : label_kind(r->kind), e);
			break;
		case C_ACTION:
			rc = sheet_text(s, rec_action_name(r->action), e);
			break;
		case C_CREATED:
			rc = sheet_time(s, r->created_ms, r->tz_min, e);
			break;
		case C_OPERATOR:
			rc = sheet_text(s, r->operator_name, e);
			break;
		case C_SHIFT:
			rc = sheet_int(s, r->shift, e);
			break;
		case C_REASON:
			rc = sheet_text(s, r->reason, e);
			break;
		case C_ALERT:
			rc = sheet_text(s, r->alert, e);
			break;
		case C_DELETED:
			rc = sheet_int(s, r->deleted, e);
			break;
		default:
			if (r->kind > 0 && r->kind < REC_KIND_COUNT && c->empty[r->kind][i] > 0) {
				/* this column and the next empty ones for the kind, at once */
				rc = sheet_skip(s, c->empty[r->kind][i], e);
				i += c->empty[r->kind][i] - 1u;
			} else if (r->kind > 0 && r->kind < REC_KIND_COUNT)
				rc = field_cell(s, r, c->c[i].f[r->kind], c->c[i].memo != NULL ?
				    &c->c[i].memo[r->kind] : NULL, e);
			else
				rc = field_cell(s, r, NULL, NULL, e);
			break;
		}
	}
	return rc;
}

/* The union is the record's end: clearing what is before it and the union clears all. */
static_assert(offsetof(struct record, u) + sizeof(((struct record *)0)->u) ==
    sizeof(struct record), "struct record ends with its union");

int
export_record_from_body(const char *kind, const char *body, struct record *r)
{
	int k = rec_kind_parse(kind);

	if (k <= 0)
		return -1;
	/* rec_init's record, but for the kind's fields, which body_decode clears itself
	 * (a hub export decodes millions of bodies: the union is most of the record) */
	memset(r, 0, offsetof(struct record, u));
	r->kind = k;
	r->action = REC_ADD;
	return body_decode(body, r);
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

struct exporter {
	FILE *f;
	int format;
	struct sheet *s;
	struct export_cols *cols;
	int64_t count;
	int rc;
	struct err *e;
};

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

	if (x->format == EXPORT_JSONL)
		x->rc = jsonl_one(x, r);
	else if ((x->rc = export_cols_row(x->cols, x->s, r, x->e)) == E_OK)
		x->rc = sheet_end_row(x->s, x->e);
	if (x->rc == E_OK)
		x->count++;
	return x->rc != E_OK;
}

static int
export_run(struct logbook *lb, FILE *f, struct sheet *s, int format,
    const struct rec_query *q, int64_t *count, struct err *e)
{
	struct exporter x;
	int rc;

	memset(&x, 0, sizeof x);
	x.f = f;
	x.s = s;
	x.format = format;
	x.e = e;
	if (format != EXPORT_JSONL &&
	    ((rc = export_cols_new(q->kind, &x.cols, e)) != E_OK ||
	    (rc = export_cols_header(x.cols, s, NULL, 0, NULL, 0, e)) != E_OK)) {
		export_cols_free(x.cols);
		return rc;
	}
	rc = rec_list(lb, q, export_one, &x, e);
	export_cols_free(x.cols);
	if (rc != E_OK)
		return rc;
	if (x.rc != E_OK)
		return x.rc;
	if (count != NULL)
		*count = x.count;
	return E_OK;
}

int
export_write(struct logbook *lb, FILE *f, int format, const struct rec_query *q,
    int64_t *count, struct err *e)
{
	struct sheet *s = NULL;
	int rc;

	if (format == EXPORT_XLSX)
		return err_set(e, E_USAGE, "%s", _("an XLSX export needs a file: --out FILE"));
	if (format == EXPORT_CSV && (rc = sheet_open_csv(&s, f, SHEET_BOM, e)) != E_OK)
		return rc;
	if ((rc = export_run(lb, f, s, format, q, count, e)) != E_OK) {
		sheet_abort(s);
		return rc;
	}
	if (s != NULL)
		return sheet_close(s, e);
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, E_IO, "%s", _("cannot write the export"));
	return E_OK;
}

int
export_write_sheet(struct logbook *lb, struct sheet *s, const struct rec_query *q,
    int64_t *count, struct err *e)
{
	return export_run(lb, NULL, s, EXPORT_CSV, q, count, e);
}
