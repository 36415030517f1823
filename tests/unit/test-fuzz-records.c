/* test-fuzz-records.c — short fuzz smoke runs (meant for `make asan`) of what reads input
 * from elsewhere: record bodies arriving at the hub (outbox_decode), field text typed by
 * people (rec_field_set) and times (clock_parse). Mutations must be refused cleanly or
 * decode to something that encodes and decodes again the same way; never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "storage/clock.h"
#include "storage/outbox.h"
#include "storage/record.h"
#include "storage/store.h" /* body_encode: the station's own encoder */
#include "storage/fields.h"

static const char *const seeds[] = {
    "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":7,\"tz\":480,\"operator\":\"李\",\"shift\":3,"
    "\"reason\":\"\",\"alert\":\"\",\"data\":{\"id_type\":\"resident_id\",\"id_number\":"
    "\"11010519491231002X\",\"name\":\"张\\\"三\\\\\",\"phone\":\"13812345678\",\"plate\":"
    "\"粤B12345\",\"host\":\"3-2-301\",\"reason\":\"\\u0041\\ud83d\\ude00\",\"health_code\":"
    "\"green\",\"id_unverified\":0,\"note\":\"\"}}",
    "{\"v\":1,\"action\":\"correct\",\"ref\":4,\"root\":2,\"tz\":-300,\"operator\":\"\","
    "\"shift\":0,\"reason\":\"x\",\"alert\":\"\",\"data\":{\"plate\":\"鄂A1\",\"occupants\":2,"
    "\"occupant_temps\":[36.5,38.1],\"origin\":\"武汉\",\"flagged\":1,\"unknown\":[1,{\"a\":"
    "null}]}}",
    "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":9,\"tz\":0,\"operator\":\"o\",\"shift\":1,"
    "\"reason\":\"\",\"alert\":\"\",\"data\":{\"name\":\"病人\",\"temp\":38.5,\"symptoms\":"
    "[\"cough\",\"dyspnea\"],\"epi\":[],\"route\":\"emergency\"}}",
};
static const char *const kinds[] = {"visitor", "vehicle", "triage"};

static void
fuzz_bodies(void **state)
{
	char buf[2048];
	struct outbox_row row;
	struct record r, r2;
	struct err e;
	int i, k, accepted = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t s = (size_t)i % 3, len = strlen(seeds[s]), n;

		memcpy(buf, seeds[s], len + 1);
		for (k = 0, n = 1 + randombytes_uniform(4); k < (int)n; k++) {
			size_t at = randombytes_uniform((uint32_t)len);

			switch (randombytes_uniform(4)) {
			case 0: /* flip a byte */
				buf[at] = (char)randombytes_uniform(256);
				if (buf[at] == '\0')
					buf[at] = '"';
				break;
			case 1: /* truncate */
				buf[at] = '\0';
				len = at;
				break;
			case 2: /* a structural character */
				buf[at] = "{}[],:\"\\0-9e"[randombytes_uniform(12)];
				break;
			default: /* duplicate a slice */
				if (len + 16 < sizeof buf) {
					memmove(buf + at + 8, buf + at, len - at + 1);
					len += 8;
				}
				break;
			}
			if (len == 0)
				break;
		}
		memset(&row, 0, sizeof row);
		snprintf(row.kind, sizeof row.kind, "%s", kinds[s]);
		row.seq = i + 1;
		row.body = buf;
		row.body_len = strlen(buf);
		if (outbox_decode(&row, &r, &e) != E_OK)
			continue;
		accepted++;
		/* what decodes re-encodes through the station's own path and reads back alike */
		{
			char *again = body_encode(&r);

			assert_non_null(again);
			row.body = again;
			row.body_len = strlen(again);
			assert_int_equal(outbox_decode(&row, &r2, &e), E_OK);
			assert_memory_equal(&r.u, &r2.u, sizeof r.u);
			assert_string_equal(r.operator_name, r2.operator_name);
			free(again);
		}
	}
	/* the seeds themselves are accepted, and some mutations are too */
	assert_true(accepted > 0);
	/* deep nesting in an unknown key is refused, not recursed into without end */
	{
		static char deep[200000];
		size_t o;

		o = (size_t)snprintf(deep, sizeof deep, "{\"v\":1,\"action\":\"add\",\"x\":");
		while (o < sizeof deep - 2)
			deep[o++] = '[';
		deep[o] = '\0';
		snprintf(row.kind, sizeof row.kind, "temp");
		row.body = deep;
		row.body_len = o;
		assert_int_equal(outbox_decode(&row, &r, &e), E_INVALID);
	}
	/* strictness: NUL, lone surrogates, raw control characters, nan, overlong UTF-8 */
	{
		static const char *const bad[] = {
		    "{\"v\":1,\"action\":\"add\",\"reason\":\"a\\u0000b\",\"data\":{}}",
		    "{\"v\":1,\"action\":\"add\",\"reason\":\"\\ud800\",\"data\":{}}",
		    "{\"v\":1,\"action\":\"add\",\"reason\":\"a\tb\",\"data\":{}}",
		    "{\"v\":1,\"action\":\"add\",\"data\":{\"value\":nan}}",
		    "{\"v\":1,\"action\":\"add\",\"reason\":\"\xc0\xaf\",\"data\":{}}",
		};
		size_t b;

		for (b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			row.body = bad[b];
			row.body_len = strlen(bad[b]);
			assert_int_equal(outbox_decode(&row, &r, &e), E_INVALID);
		}
		row.body = "{\"v\":1,\"action\":\"add\",\"reason\":\"\\u4e2d\",\"data\":{}}";
		row.body_len = strlen(row.body);
		assert_int_equal(outbox_decode(&row, &r, &e), E_OK);
		assert_string_equal(r.reason, "中");
	}
}

static void
fuzz_fields_and_times(void **state)
{
	static const char pool[] = "0123456789.,-+:TZ#x ℃°C\xe4\xb8\xad\xff";
	const struct rec_field *f;
	struct record r;
	struct err e;
	char text[40];
	size_t nf, j;
	int i, kind, len;
	int64_t ms;

	(void)state;
	for (i = 0; i < 20000; i++) {
		len = (int)randombytes_uniform(sizeof text - 1);
		for (j = 0; j < (size_t)len; j++)
			text[j] = pool[randombytes_uniform(sizeof pool - 1)];
		text[len] = '\0';
		kind = 1 + (int)randombytes_uniform(REC_KIND_COUNT - 1);
		rec_init(&r, kind);
		f = rec_fields(kind, &nf);
		f = &f[randombytes_uniform((uint32_t)nf)];
		if (rec_field_set(&r, f, text, &e) != E_OK)
			assert_true(e.msg[0] != '\0');
		else
			rec_field_format(&r, f, text, sizeof text);
		(void)clock_parse(text, &ms);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fuzz_bodies),
	    cmocka_unit_test(fuzz_fields_and_times),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
