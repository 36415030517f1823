/* test-labels.c — every stored code a field can hold has a label, short labels fit a list
 * column (12 columns) in English and Chinese, lists of flags read in words, and the
 * computed texts (triage rules, why flagged, alerts, handover summaries) are shown in the
 * interface's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>
#include <cmocka.h>

#include "base/err.h"
#include "storage/labels.h"
#include "storage/logbook.h"
#include "storage/record.h"

static int
cols(const char *s)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, s, 256);

	assert_true(n != (size_t)-1);
	return wcswidth(w, n);
}

/* Every code of every choice field of every kind: a label that is not the code itself
 * when the code is not a word (has '_'), and a brief one of at most 12 columns. */
static void
every_code(void)
{
	const struct rec_field *f;
	size_t n, i;
	int k, c;

	for (k = 1; k < REC_KIND_COUNT; k++) {
		assert_true(cols(label_brief(rec_kind_name(k))) <= 12);
		f = rec_fields(k, &n);
		for (i = 0; i < n; i++) {
			if (f[i].choices == NULL)
				continue;
			for (c = 0; f[i].choices[c] != NULL; c++) {
				const char *code = f[i].choices[c];

				if (strchr(code, '_') != NULL)
					assert_string_not_equal(label_code(code), code);
				if (cols(label_brief(code)) > 12)
					fail_msg("brief label of %s is %d columns: %s", code,
					    cols(label_brief(code)), label_brief(code));
			}
		}
	}
}

static void
test_english(void **state)
{
	struct record r;
	const struct rec_field *f;
	char buf[256];

	(void)state;
	every_code();
	assert_string_equal(label_code("sore_throat"), "sore throat");
	assert_string_equal(label_brief("general_clinic"), "general");
	assert_string_equal(label_code("no such code"), "no such code");
	assert_string_equal(label_kind(REC_TEMP), "temperature");
	assert_string_equal(label_station_kind(STATION_TRIAGE), "triage desk");
	assert_string_equal(label_action(REC_CORRECT), "corrected");
	rec_init(&r, REC_TRIAGE);
	f = rec_field_find(REC_TRIAGE, "symptoms");
	assert_int_equal(rec_field_set(&r, f, "fever,cough,dyspnea", NULL), E_OK);
	label_field(&r, f, 0, buf, sizeof buf);
	assert_string_equal(buf, "fever, cough, short of breath");
	snprintf(r.u.triage.route_rule, sizeof r.u.triage.route_rule, "%s",
	    "dyspnea or chest pain -> emergency");
	label_field(&r, rec_field_find(REC_TRIAGE, "route_rule"), 0, buf, sizeof buf);
	assert_string_equal(buf, "short of breath or chest pain → emergency");
	label_flags("high-risk plate prefix 鄂A; high-risk origin; fever 38.5", 1, buf,
	    sizeof buf);
	assert_string_equal(buf, "fever 38.5 °C, plate 鄂A, origin");
	label_flags("high-risk origin; fever 38.6 (passenger)", 0, buf, sizeof buf);
	assert_string_equal(buf, "fever 38.6 °C (passenger), from a high-risk origin");
	label_flags("high-risk origin; fever 38.6 (passenger)", 1, buf, sizeof buf);
	assert_string_equal(buf, "fever 38.6 °C, origin");
	label_alert("watchlist plate (plate): stolen car", buf, sizeof buf);
	assert_string_equal(buf, "plate on the watchlist: stolen car");
	label_summary("records 12; fevers 1 (rechecked 1, pending 0); inside 3; bins collected "
	    "2, overdue 1; flagged 0; over quota 0; alerts 0", buf, sizeof buf);
	assert_non_null(strstr(buf, "waiting 0"));
	/* a too small buffer is cut, never overrun */
	label_flags("fever 38.5; high-risk origin", 0, buf, 8);
	assert_int_equal(strlen(buf), 7);
	/* setup's kind from what a person types */
	assert_int_equal(label_station_kind_parse("gate"), STATION_GATE);
	assert_int_equal(label_station_kind_parse("门岗"), STATION_GATE);
	assert_int_equal(label_station_kind_parse("交通卡口"), STATION_TRAFFIC);
	assert_int_equal(label_station_kind_parse("预检分诊"), STATION_TRIAGE);
	assert_int_equal(label_station_kind_parse("compound gate"), STATION_GATE);
	assert_int_equal(label_station_kind_parse("门"), -1);
}

static void
test_chinese(void **state)
{
	struct record r;
	const struct rec_field *f;
	char buf[256], dir[512];
	const char *top = getenv("OUTPOST_TOP"), *b = getenv("B");

	(void)state;
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "%s/%s/locale", top ? top : ".", b ? b : "build");
	bindtextdomain(OUTPOST_DOMAIN, dir);
	textdomain(OUTPOST_DOMAIN);
	bind_textdomain_codeset(OUTPOST_DOMAIN, "UTF-8");
	every_code();
	assert_string_equal(label_code("sore_throat"), "咽痛");
	assert_string_equal(label_code("general_clinic"), "普通门诊");
	assert_string_equal(label_station_kind(STATION_GATE), "小区门岗");
	assert_string_equal(label_station_kind(STATION_TRIAGE), "预检分诊台");
	rec_init(&r, REC_TRIAGE);
	f = rec_field_find(REC_TRIAGE, "symptoms");
	assert_int_equal(rec_field_set(&r, f, "fever,cough", NULL), E_OK);
	label_field(&r, f, 0, buf, sizeof buf);
	assert_string_equal(buf, "发热、咳嗽");
	label_flags("high-risk plate prefix 鄂A; fever 38.5", 1, buf, sizeof buf);
	assert_null(strstr(buf, "fever"));
	assert_null(strstr(buf, "plate"));
	label_field(&r, rec_field_find(REC_TRIAGE, "id_unverified"), 0, buf, sizeof buf);
	assert_string_equal(buf, "否");
	assert_int_equal(label_station_kind_parse("预检分诊"), STATION_TRIAGE);
	setlocale(LC_ALL, "C.UTF-8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_chinese),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
