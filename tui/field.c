/* field.c — the single-line editor behind every input of the TUI (see field.h). Hand-written
 * rather than libform, whose fields mis-measure CJK text and pad buffers with spaces. */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/field.h"

void
field_init(struct field *f, size_t max, int flags)
{
	memset(f, 0, sizeof *f);
	f->max = max == 0 || max > FIELD_CAP ? FIELD_CAP : max;
	f->flags = flags;
}

void
field_clear(struct field *f)
{
	/* volatile-free wipe is fine: the buffer stays in use, so the store is not dead */
	memset(f->buf, 0, sizeof f->buf);
	f->len = f->cur = f->scroll = 0;
}

int
field_char_width(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int
field_width(const struct field *f)
{
	size_t i;
	int w = 0;

	for (i = 0; i < f->len; i++)
		w += field_char_width(f->buf[i]);
	return w;
}

/* Whether a letter typed at the cursor continues a leading run of a-z (FIELD_PINYIN). */
static int
field_in_pinyin(const struct field *f)
{
	size_t i;

	if (!(f->flags & FIELD_PINYIN))
		return 0;
	for (i = 0; i < f->cur; i++)
		if (f->buf[i] < L'a' || f->buf[i] > L'z')
			return 0;
	return 1;
}

int
field_insert(struct field *f, wchar_t c)
{
	assert(f->cur <= f->len && f->len <= f->max);
	if (f->len >= f->max || c == L'\0' || !iswprint((wint_t)c))
		return -1;
	if ((f->flags & FIELD_DIGITS) && !(c >= L'0' && c <= L'9') && c != L'.')
		return -1;
	if ((f->flags & FIELD_UPPER) && c >= L'a' && c <= L'z' && !field_in_pinyin(f))
		c = c - L'a' + L'A';
	memmove(&f->buf[f->cur + 1], &f->buf[f->cur], (f->len - f->cur) * sizeof(wchar_t));
	f->buf[f->cur++] = c;
	f->buf[++f->len] = L'\0';
	return 0;
}

int
field_backspace(struct field *f)
{
	if (f->cur == 0)
		return -1;
	f->cur--;
	return field_delete(f);
}

int
field_delete(struct field *f)
{
	if (f->cur >= f->len)
		return -1;
	memmove(&f->buf[f->cur], &f->buf[f->cur + 1], (f->len - f->cur) * sizeof(wchar_t));
	f->len--;
	f->buf[f->len] = L'\0';
	return 0;
}

int
field_left(struct field *f)
{
	if (f->cur == 0)
		return -1;
	f->cur--;
	return 0;
}

int
field_right(struct field *f)
{
	if (f->cur >= f->len)
		return -1;
	f->cur++;
	return 0;
}

int
field_home(struct field *f)
{
	if (f->cur == 0)
		return -1;
	f->cur = 0;
	return 0;
}

int
field_end(struct field *f)
{
	if (f->cur == f->len)
		return -1;
	f->cur = f->len;
	return 0;
}

void
field_kill_end(struct field *f)
{
	wmemset(&f->buf[f->cur], L'\0', f->len - f->cur);
	f->len = f->cur;
}

void
field_kill_start(struct field *f)
{
	size_t n = f->cur;

	memmove(f->buf, &f->buf[n], (f->len - n + 1) * sizeof(wchar_t));
	f->len -= n;
	wmemset(&f->buf[f->len], L'\0', n);
	f->cur = 0;
	f->scroll = 0;
}

int
field_set(struct field *f, const char *s)
{
	mbstate_t st;
	wchar_t c;
	size_t n, left = strlen(s);

	field_clear(f);
	memset(&st, 0, sizeof st);
	while (left > 0 && f->len < f->max) {
		n = mbrtowc(&c, s, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			field_clear(f);
			return -1;
		}
		if (n == 0)
			break;
		f->buf[f->len++] = c;
		s += n;
		left -= n;
	}
	f->buf[f->len] = L'\0';
	f->cur = f->len;
	return 0;
}

int
field_get(const struct field *f, char *out, size_t outsz)
{
	mbstate_t st;
	char tmp[MB_LEN_MAX];
	size_t i, n, used = 0;

	memset(&st, 0, sizeof st);
	for (i = 0; i < f->len; i++) {
		n = wcrtomb(tmp, f->buf[i], &st);
		if (n == (size_t)-1)
			n = 1, tmp[0] = '?';
		if (used + n + 1 > outsz) {
			if (outsz > 0)
				out[0] = '\0';
			return -1;
		}
		memcpy(out + used, tmp, n);
		used += n;
	}
	if (outsz == 0)
		return -1;
	out[used] = '\0';
	return (int)used;
}

size_t
field_layout(struct field *f, int width, int *cursor_col)
{
	size_t i, n;
	int col;

	assert(width >= 2);
	if (f->scroll > f->cur)
		f->scroll = f->cur;
	/* The cursor needs one column of its own, even at the end of the text. */
	for (;;) {
		col = 0;
		for (i = f->scroll; i < f->cur; i++)
			col += field_char_width(f->buf[i]);
		if (col + (f->cur < f->len ? field_char_width(f->buf[f->cur]) : 1) <= width ||
		    f->scroll == f->cur)
			break;
		f->scroll++;
	}
	*cursor_col = col;
	col = 0;
	for (n = 0, i = f->scroll; i < f->len; i++, n++) {
		int w = field_char_width(f->buf[i]);

		if (col + w > width)
			break;
		col += w;
	}
	return n;
}
