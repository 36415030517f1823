/* fuzz-wire.c — libFuzzer harness: sync/wire.c's message decoder and batch decoder on any
 * bytes. Input byte 0 chooses: even, a whole message (wire_decode); odd, a batch body
 * (wire_batch_decode, zstd and CBOR). Either must refuse or decode, never crash or leak.
 * OUTPOST_FUZZ_SEEDS=DIR: write seed inputs into DIR and exit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

static void
write_seed(const char *dir, const char *name, uint8_t mode, const void *p, size_t n)
{
	char file[4096];
	FILE *f;

	snprintf(file, sizeof file, "%s/%s", dir, name);
	if ((f = fopen(file, "wb")) == NULL || fputc(mode, f) == EOF ||
	    fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static void
seeds(const char *dir)
{
	static const char *const bodies[] = {
		"{\"action\":\"add\",\"temp\":365}",
		"{\"action\":\"add\",\"name\":\"张三\",\"plate\":\"粤B12345\"}",
	};
	struct wire_record r[2];
	struct wire_msg m;
	uint8_t *body, *msg;
	size_t blen, len, i;
	struct err e;

	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].seq = 7 + i;
		snprintf(r[i].kind, sizeof r[i].kind, "%s", i ? "visitor" : "temp");
		r[i].created_ms = 1772323200000LL + (int64_t)i;
		r[i].body = bodies[i];
		r[i].body_len = strlen(bodies[i]);
	}
	if (wire_batch_encode(r, 2, &body, &blen, &e) != E_OK)
		abort();
	write_seed(dir, "batch", 1, body, blen);
	memset(&m, 0, sizeof m);
	m.type = WIRE_PUSH;
	m.req_id = 3;
	m.u.push.batch_id = 1;
	m.u.push.seq_from = 7;
	m.u.push.seq_to = 8;
	m.u.push.body = body;
	m.u.push.body_len = blen;
	if (wire_encode(&m, &msg, &len, &e) != E_OK)
		abort();
	write_seed(dir, "push", 0, msg, len);
	free(msg);
	memset(&m, 0, sizeof m);
	m.type = WIRE_HELLO;
	m.req_id = 1;
	m.u.hello.last_acked = 6;
	m.u.hello.dev_time = 1772323200000LL;
	if (wire_encode(&m, &msg, &len, &e) != E_OK)
		abort();
	write_seed(dir, "hello", 0, msg, len);
	free(msg);
	memset(&m, 0, sizeof m);
	m.type = WIRE_ERROR;
	m.req_id = 2;
	m.u.error.code = WIRE_E_REFUSED;
	snprintf(m.u.error.text, sizeof m.u.error.text, "station revoked 已吊销");
	if (wire_encode(&m, &msg, &len, &e) != E_OK)
		abort();
	write_seed(dir, "error", 0, msg, len);
	free(msg);
	free(body);
	exit(0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("OUTPOST_FUZZ_SEEDS");

	(void)argc;
	(void)argv;
	if (dir != NULL)
		seeds(dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_msg m = { 0 };
	struct wire_record *recs = NULL;
	uint8_t *raw = NULL;
	struct err e;
	size_t n;
	int code;

	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0) {
		if (wire_decode(data + 1, size - 1, &m, &code, &e) == E_OK)
			wire_msg_free(&m);
	} else if (wire_batch_decode(data + 1, size - 1, &recs, &n, &raw, &e) == E_OK) {
		free(recs);
		free(raw);
	}
	return 0;
}
