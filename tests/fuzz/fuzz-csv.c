/* fuzz-csv.c — libFuzzer harness: storage/csv.c's RFC 4180 reader (watchlist and hub CSV
 * imports) on any bytes, through fmemopen; every field it hands over must be a C string
 * within the reader's limits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/csv.h"

static int
row(void *arg, size_t line, char **fields, size_t n)
{
	size_t i, *total = arg;

	(void)line;
	if (n > CSV_FIELDS_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (strlen(fields[i]) > CSV_FIELD_MAX)
			abort();
	*total += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	size_t total = 0;
	FILE *f;

	if (size == 0 || (f = fmemopen((void *)data, size, "rb")) == NULL)
		return 0;
	(void)csv_read(f, row, &total, &e);
	fclose(f);
	return 0;
}
