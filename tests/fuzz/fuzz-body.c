/* fuzz-body.c — libFuzzer harness: storage/body.c's record body decoder (the JSON a record
 * is stored and synced as) for every kind, and the encoder on what it decoded. Input byte
 * 0 picks the kind; the rest, NUL-terminated, is the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/record.h"
#include "storage/store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r;
	char *body, *again;

	if (size == 0 || (body = malloc(size)) == NULL)
		return 0;
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	rec_init(&r, 1 + data[0] % (REC_KIND_COUNT - 1));
	if (body_decode(body, &r) == 0 && (again = body_encode(&r)) != NULL)
		free(again);
	free(body);
	return 0;
}
