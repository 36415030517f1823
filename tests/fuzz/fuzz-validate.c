/* fuzz-validate.c — libFuzzer harness: the validators of what a volunteer types, on any
 * bytes as a C string: storage/validate-*.c (ID numbers, plates, phones, temperatures, the
 * text fold) and base/ (strict UTF-8, the text check and escape, numbers and dates). Each
 * returns a status and a message, never crashes or overruns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "base/utf8.h"
#include "storage/validate.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct validate_date today = { 2026, 12, 1 };
	static const char *const prefixes[] = { "粤B", "京A", "沪" };
	struct id_result id;
	struct plate_result plate;
	struct phone_result phone;
	struct temp_result temp;
	const char *zh, *en;
	char *s, out[64], esc[256];
	struct err e;
	int64_t v;
	int y, m, d;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)validate_id(s, &today, &id);
	(void)validate_plate(s, &plate);
	(void)validate_plate_province(s, &zh, &en);
	(void)validate_plate_prefix(s, prefixes, 3);
	(void)validate_phone(s, &phone);
	(void)validate_temp(s, 373, &temp);
	(void)validate_fold(s, out, sizeof out);
	if (size >= 17)
		(void)validate_id_check_char(s);
	(void)utf8_valid(s, size);
	(void)utf8_valid_str(s);
	(void)text_check(s, 0, "field", &e);
	(void)text_needs_escape(s);
	(void)text_escape(s, esc, sizeof esc);
	(void)parse_int(s, -1000000, 1000000, "n", &v, &e);
	(void)parse_fixed(s, 1, -1000, 1000, "t", &v, &e);
	(void)parse_date(s, "date", &y, &m, &d, &e);
	free(s);
	return 0;
}
