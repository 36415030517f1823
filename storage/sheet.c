/* sheet.c — typed rows out to CSV (through storage/csv.h) or XLSX (libxlsxwriter, in its
 * constant-memory mode: each row goes to disk as it is written). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xlsxwriter.h>

#include "base/parse.h"
#include "storage/clock.h"
#include "storage/csv.h"
#include "storage/sheet.h"

struct sheet {
	int format;
	struct csv_writer w;		/* CSV */
	lxw_workbook *wb;		/* XLSX */
	lxw_worksheet *ws;
	lxw_format *bold, *when;
	char *path;			/* XLSX: the file, checked whole at close */
	lxw_row_t row;
	lxw_col_t col;
	size_t ncols;
	char **head;			/* XLSX: the header, again on each further worksheet */
	lxw_row_t max_rows;		/* XLSX: rows per worksheet, header included */
	int nsheets;
	/* CSV: the last two times written, as written, and which of them was the later:
	 * a row's creation time is new on every row, but the hub's receive time beside it
	 * is the same for every record of a batch */
	struct {
		int64_t ms;
		int tz;
		char text[40];
		int plain;	/* csv_plain's: a digit first (no '-' year), no comma */
		size_t len;
	} time[2];
	int time_mru;
};

int
sheet_open_csv(struct sheet **s, FILE *f, int flags, struct err *e)
{
	int rc;

	if ((*s = calloc(1, sizeof **s)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	(*s)->format = SHEET_CSV;
	if ((rc = csv_writer_init(&(*s)->w, f, (flags & SHEET_BOM) ? CSV_BOM : 0, e)) != E_OK) {
		free(*s);
		*s = NULL;
	}
	return rc;
}

int
sheet_open_xlsx(struct sheet **s, const char *path, const char *tmpdir, struct err *e)
{
	lxw_workbook_options opt;

	if ((*s = calloc(1, sizeof **s)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	memset(&opt, 0, sizeof opt);
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = (char *)tmpdir;
	(*s)->format = SHEET_XLSX;
	(*s)->max_rows = LXW_ROW_MAX;
	(*s)->nsheets = 1;
	if (((*s)->path = strdup(path)) == NULL ||
	    ((*s)->wb = workbook_new_opt(path, &opt)) == NULL ||
	    ((*s)->ws = workbook_add_worksheet((*s)->wb, "records")) == NULL) {
		sheet_abort(*s);
		*s = NULL;
		return err_set(e, E_IO, _("cannot start the spreadsheet %s"), path);
	}
	(*s)->bold = workbook_add_format((*s)->wb);
	format_set_bold((*s)->bold);
	(*s)->when = workbook_add_format((*s)->wb);
	format_set_num_format((*s)->when, "yyyy-mm-dd hh:mm:ss");
	return E_OK;
}

static int
xlsx_err(lxw_error rc, struct err *e)
{
	return rc == LXW_NO_ERROR ? E_OK :
	    err_set(e, E_IO, _("cannot write the spreadsheet: %s"), lxw_strerror(rc));
}

void
sheet_set_max_rows(struct sheet *s, unsigned rows)
{
	if (rows >= 2 && rows <= LXW_ROW_MAX)
		s->max_rows = (lxw_row_t)rows;
}

static void
head_free(struct sheet *s)
{
	size_t i;

	for (i = 0; s->head != NULL && i < s->ncols; i++)
		free(s->head[i]);
	free(s->head);
	s->head = NULL;
}

int
sheet_header(struct sheet *s, const char *const *names, size_t n, struct err *e)
{
	size_t i;
	int rc = E_OK;

	if (s->format == SHEET_XLSX && s->head == NULL) {
		/* kept for the next worksheet when this one is full */
		if ((s->head = calloc(n + 1, sizeof *s->head)) == NULL)
			return err_set(e, E_IO, "%s", _("out of memory"));
		s->ncols = n;
		for (i = 0; i < n; i++)
			if ((s->head[i] = strdup(names[i])) == NULL)
				return err_set(e, E_IO, "%s", _("out of memory"));
	}
	s->ncols = n;
	for (i = 0; i < n && rc == E_OK; i++)
		rc = s->format == SHEET_CSV ? csv_field(&s->w, names[i], e) :
		    xlsx_err(worksheet_write_string(s->ws, 0, (lxw_col_t)i, names[i], s->bold), e);
	if (rc == E_OK && s->format == SHEET_XLSX && n > 0) {
		worksheet_freeze_panes(s->ws, 1, 0);
		worksheet_autofilter(s->ws, 0, 0, 0, (lxw_col_t)(n - 1));
		worksheet_set_column(s->ws, 0, (lxw_col_t)(n - 1), 14, NULL);
	}
	return rc == E_OK ? sheet_end_row(s, e) : rc;
}

int
sheet_looks_numeric(const char *v)
{
	const char *p = v;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '.' && *p != 'e' && *p != 'E' && *p != ' ')
			return 0;
	}
	return digits > 0;
}

static int
xlsx_string(struct sheet *s, const char *v, struct err *e)
{
	lxw_error rc = LXW_NO_ERROR;

	if (v != NULL && v[0] != '\0')
		rc = worksheet_write_string(s->ws, s->row, s->col, v, NULL);
	s->col++;
	return xlsx_err(rc, e);
}

int
sheet_text(struct sheet *s, const char *v, struct err *e)
{
	if (s->format == SHEET_CSV)
		return csv_field(&s->w, v, e);
	return xlsx_string(s, v, e);
}

int
sheet_skip(struct sheet *s, size_t n, struct err *e)
{
	if (s->format == SHEET_CSV)
		return csv_empty(&s->w, n, e);
	s->col = (lxw_col_t)(s->col + n);
	return E_OK;
}

int
sheet_code(struct sheet *s, const char *v, struct err *e)
{
	char buf[1024];
	size_t n;
	int guard;

	if (s->format == SHEET_XLSX)
		return xlsx_string(s, v, e);
	if (v == NULL || !sheet_looks_numeric(v) || (n = strlen(v)) + 2 > sizeof buf)
		return csv_field(&s->w, v, e);
	/* digits, '+', '-', '.', 'e' only: nothing a spreadsheet could run, so the TAB is
	 * written as it is rather than behind the formula guard's apostrophe */
	buf[0] = '\t';
	memcpy(buf + 1, v, n + 1);
	guard = s->w.flags;
	s->w.flags |= CSV_NO_GUARD;
	if (csv_field(&s->w, buf, e) != E_OK) {
		s->w.flags = guard;
		return E_IO;
	}
	s->w.flags = guard;
	return E_OK;
}

int
sheet_number(struct sheet *s, const char *v, struct err *e)
{
	char *end;
	double d;

	if (s->format == SHEET_CSV)
		return csv_field(&s->w, v, e);
	if (v == NULL || v[0] == '\0') {
		s->col++;
		return E_OK;
	}
	d = strtod(v, &end);
	if (*end != '\0')
		return xlsx_string(s, v, e);
	return xlsx_err(worksheet_write_number(s->ws, s->row, s->col++, d, NULL), e);
}

int
sheet_int(struct sheet *s, int64_t v, struct err *e)
{
	char buf[24];
	size_t n = fmt_int(v, buf);

	/* digits, maybe after a '-': nothing to quote, and a number is never guarded */
	if (s->format == SHEET_CSV)
		return csv_plain(&s->w, buf, n, e);
	return xlsx_err(worksheet_write_number(s->ws, s->row, s->col++, (double)v, NULL), e);
}

int
sheet_time(struct sheet *s, int64_t ms, int tz_min, struct err *e)
{
	lxw_datetime dt;
	int64_t secs;
	struct tm tm;
	time_t t;

	if (ms == 0)
		return s->format == SHEET_CSV ? csv_field(&s->w, "", e) : (s->col++, E_OK);
	if (s->format == SHEET_CSV) {
		int i = s->time_mru;

		if (s->time[i].ms != ms || s->time[i].tz != tz_min) {
			i = 1 - i;
			if (s->time[i].ms != ms || s->time[i].tz != tz_min) {
				/* the other one (used last before this) goes */
				clock_format_iso(ms, tz_min, s->time[i].text, sizeof s->time[i].text);
				s->time[i].ms = ms;
				s->time[i].tz = tz_min;
				s->time[i].len = strlen(s->time[i].text);
				s->time[i].plain = s->time[i].text[0] >= '0' &&
				    s->time[i].text[0] <= '9' &&
				    strpbrk(s->time[i].text, ",\"\r\n") == NULL;
			}
		}
		s->time_mru = i;
		return s->time[i].plain ? csv_plain(&s->w, s->time[i].text, s->time[i].len, e) :
		    csv_field(&s->w, s->time[i].text, e);
	}
	/* the wall-clock time where the record was made: spreadsheets have no time zones */
	secs = ms / 1000 + (int64_t)tz_min * 60;
	t = (time_t)secs;
	gmtime_r(&t, &tm);
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec + (double)(ms % 1000) / 1000.0;
	return xlsx_err(worksheet_write_datetime(s->ws, s->row, s->col++, &dt, s->when), e);
}

int
sheet_end_row(struct sheet *s, struct err *e)
{
	char name[32];

	s->row++;
	s->col = 0;
	if (s->format == SHEET_CSV)
		return csv_end_row(&s->w, e);
	if (s->row < s->max_rows || s->head == NULL)
		return E_OK;
	/* a worksheet holds 1,048,576 rows: the rest go on the next, "records 2", … */
	snprintf(name, sizeof name, "records %d", ++s->nsheets);
	if ((s->ws = workbook_add_worksheet(s->wb, name)) == NULL)
		return err_set(e, E_IO, _("cannot start the spreadsheet %s"), s->path);
	s->row = 0;
	return sheet_header(s, (const char *const *)s->head, s->ncols, e);
}

/* Whether path ends with a zip's end-of-central-directory record: libxlsxwriter does not
 * report every failed write (a full disk), but a file cut short has no such end. */
static int
zip_whole(const char *path)
{
	unsigned char end[22];
	FILE *f;
	int ok;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	ok = fseek(f, -22, SEEK_END) == 0 && fread(end, 1, sizeof end, f) == sizeof end &&
	    memcmp(end, "PK\x05\x06", 4) == 0;
	fclose(f);
	return ok;
}

int
sheet_close(struct sheet *s, struct err *e)
{
	mode_t mask;
	int rc = E_OK;

	if (s == NULL)
		return E_OK;
	if (s->format == SHEET_XLSX) {
		/* nor does it say when a row could not reach its scratch file */
		if (s->ws->optimize_tmpfile != NULL && (fflush(s->ws->optimize_tmpfile) != 0 ||
		    ferror(s->ws->optimize_tmpfile))) {
			lxw_workbook_free(s->wb);
			head_free(s);
			free(s->path);
			free(s);
			return err_set(e, E_IO, "%s", _("cannot write the spreadsheet: the disk "
			    "is full or the file too large"));
		}
		/* libxlsxwriter creates the file with fopen: under umask 077 it is private
		 * from its first byte, not only once the caller sets its mode */
		mask = umask(077);
		rc = xlsx_err(workbook_close(s->wb), e);
		umask(mask);
		if (rc == E_OK && !zip_whole(s->path))
			rc = err_set(e, E_IO, "%s", _("cannot write the spreadsheet: the file was "
			    "cut short (is the disk full?)"));
		free(s->path);
		head_free(s);
	}
	else if (fflush(s->w.f) != 0 || ferror(s->w.f))
		rc = err_set(e, E_IO, "%s", _("cannot write the export"));
	free(s);
	return rc;
}

void
sheet_abort(struct sheet *s)
{
	if (s == NULL)
		return;
	if (s->format == SHEET_XLSX && s->wb != NULL)
		lxw_workbook_free(s->wb);
	head_free(s);
	free(s->path);
	free(s);
}
