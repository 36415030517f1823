/* fuzz-validate.c — libFuzzer harness: storage/validate-*.c, the validators of what a
 * volunteer types (ID numbers, plates, phones, temperatures, the text fold), on any bytes
 * as a C string: each returns a status and a message, never crashes or overruns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	char *s, out[64];

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
	free(s);
	return 0;
}
