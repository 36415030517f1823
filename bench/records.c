/* records.c — the records benchmark of issue 3 on a real encrypted logbook: load N mixed gate
 * records (temperature checks, visitors with IDs, plates and phones, exits, resident
 * passages; 20000 a day), then measure search as you type (one prefix query per keystroke),
 * the report of one full day, add end to end (process start to durable commit), and the file
 * size per record. Prints "RESULT records METRIC VALUE" lines for bench/records.sh.
 *
 * Usage: bench-records DIR OUTPOST-BINARY. Knobs: BENCH_RECORDS (1000000), BENCH_PER_DAY
 * (20000), BENCH_TYPED (300 values typed), BENCH_ADDS (20 process runs); BENCH_REUSE=1 measures
 * the logbook a previous run left in DIR (with BENCH_DIR) instead of loading a new one;
 * BENCH_SEARCH_TRACE=FILE writes one line per keystroke (its order, the field typed, the
 * prefix's length in bytes, milliseconds of wall time and of the process's CPU time, and the
 * pages opened: read and authenticated outside SQLite's cache), timings only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/vault.h"
#include "crypto/vfs.h"
#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/outbox.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/report.h"
#include "storage/validate.h"

#define PASS "bench passphrase"
#define T0 1772323200000LL /* 2026-03-01 00:00 UTC */

static double
ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double
cpu_ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long
knob(const char *name, long def)
{
	const char *v = getenv(name);

	return v != NULL && atol(v) > 0 ? atol(v) : def;
}

static _Noreturn void
die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench-records: %s: %s\n", what, e != NULL ? e->msg : "");
	exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, size_t n, double p)
{
	size_t i;

	qsort(v, n, sizeof *v, cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
    "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
    "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英"};
static const char plate_chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

#define NSAMPLE 4096
struct sample {
	char text[REC_NAME];
};

static void
make_id(char out[19])
{
	char d[32];
	int y = 1950 + (int)randombytes_uniform(55), m = 1 + (int)randombytes_uniform(12);
	int day = 1 + (int)randombytes_uniform(28);

	snprintf(d, sizeof d, "110105%04d%02d%02d%03u", y % 10000, m % 100, day % 100,
	    randombytes_uniform(1000));
	d[17] = '\0';
	memcpy(out, d, 17);
	out[17] = validate_id_check_char(d);
	out[18] = '\0';
}

static int
noop(const struct record *r, void *arg)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
main(int argc, char **argv)
{
	long n = knob("BENCH_RECORDS", 1000000), per_day = knob("BENCH_PER_DAY", 20000);
	long typed = knob("BENCH_TYPED", 300), adds = knob("BENCH_ADDS", 20);
	static struct sample samples[4][NSAMPLE]; /* names, ID numbers, phones, plates */
	int64_t recent[64] = {0}, day_ms = 86400000 / per_day;
	char path[4096], passfile[4096], now[32], *recovery;
	double t, *lat, *lat_add, *lat_rep;
	size_t nlat = 0, i, k;
	long found = 0;
	struct vault *v;
	struct logbook *lb;
	struct report rep;
	struct stat st;
	struct err e;
	sqlite3 *db;
	FILE *f, *trace;

	if (argc != 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: bench-records DIR OUTPOST-BINARY\n");
		return 1;
	}
	setenv("TZ", "UTC", 1);
	snprintf(path, sizeof path, "%s/records.db", argv[1]);
	snprintf(passfile, sizeof passfile, "%s/pass", argv[1]);
	if (getenv("BENCH_REUSE") != NULL && access(path, F_OK) == 0) {
		if (vault_unlock(path, PASS, strlen(PASS), VAULT_PASSPHRASE, &v, &e) != E_OK ||
		    vault_open_db(v, &db, &e) != E_OK || logbook_open(db, &lb, &e) != E_OK)
			die("reopen", &e);
		n = (long)outbox_last_seq(lb);
		printf("RESULT records loaded %ld\n", n);
		goto measure;
	}
	unlink(path);
	if ((f = fopen(passfile, "w")) == NULL)
		die("passphrase file", NULL);
	fprintf(f, "%s\n", PASS);
	fclose(f);
	recovery = sodium_malloc(VAULT_RECOVERY_LEN);
	setenv("OUTPOST_NOW", "1772323200000", 1);
	if (vault_create(path, PASS, strlen(PASS), VAULT_KDF_TEST_CHEAP, recovery, &v, &e) !=
		E_OK ||
	    vault_open_db(v, &db, &e) != E_OK || logbook_init(db, "gate", "bench", &e) != E_OK ||
	    logbook_open(db, &lb, &e) != E_OK)
		die("create", &e);
	sodium_free(recovery);
	if (logbook_signin(lb, "bench", NULL, &e) != E_OK)
		die("signin", &e);

	/* ---- load ---- */
	t = ms_now();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < (size_t)n; i++) {
		struct record r;
		unsigned dice = randombytes_uniform(100);
		int rc;

		snprintf(now, sizeof now, "%lld", (long long)(T0 + (int64_t)i * day_ms));
		setenv("OUTPOST_NOW", now, 1);
		if (dice < 35) {
			rec_init(&r, REC_TEMP);
			r.u.temp.value = 355 + (int)randombytes_uniform(17);
			rc = rec_add(lb, &r, NULL, &e);
		} else if (dice < 65) {
			rec_init(&r, REC_VISITOR);
			snprintf(r.u.visitor.id_type, REC_WORD, "resident_id");
			make_id(r.u.visitor.id_number);
			snprintf(r.u.visitor.name, REC_NAME, "%s%s",
			    surnames[randombytes_uniform(20)], given[randombytes_uniform(23)]);
			snprintf(r.u.visitor.phone, REC_PHONE, "13%09u",
			    randombytes_uniform(1000000000));
			if (dice & 1) {
				int j;

				snprintf(r.u.visitor.plate, REC_PLATE, "粤B");
				for (j = 0; j < 5; j++)
					r.u.visitor.plate[4 + j] = plate_chars[randombytes_uniform(
					    sizeof plate_chars - 1)];
				r.u.visitor.plate[9] = '\0';
			}
			snprintf(r.u.visitor.host, REC_WORD, "%u-%u-%u",
			    1 + randombytes_uniform(30), 1 + randombytes_uniform(4),
			    101 + randombytes_uniform(30));
			snprintf(r.u.visitor.health_code, REC_WORD, "green");
			r.u.visitor.temp = 355 + (int)randombytes_uniform(17); /* temp_required */
			rc = rec_add(lb, &r, NULL, &e);
			/* a random ID that is already inside is refused: draw another person */
			for (int t = 0; rc == E_INVALID && t < 8; t++) {
				make_id(r.u.visitor.id_number);
				rc = rec_add(lb, &r, NULL, &e);
			}
			if (rc == E_OK) {
				recent[randombytes_uniform(64)] = r.seq;
			}
		} else if (dice < 75) {
			int64_t ref = recent[randombytes_uniform(64)];

			rc = ref == 0 ? E_OK : rec_exit(lb, ref, NULL, &e);
			if (rc == E_INVALID) /* already left */
				rc = E_OK;
		} else {
			rec_init(&r, REC_RESIDENT);
			snprintf(r.u.resident.direction, REC_WORD, dice & 1 ? "out" : "in");
			snprintf(r.u.resident.household, REC_WORD, "%u-%u-%u",
			    1 + randombytes_uniform(30), 1 + randombytes_uniform(4),
			    101 + randombytes_uniform(30));
			snprintf(r.u.resident.pass_number, REC_WORD, "P%05u",
			    randombytes_uniform(100000));
			r.u.resident.temp = 355 + (int)randombytes_uniform(17); /* temp_required */
			rc = rec_add(lb, &r, NULL, &e);
		}
		if (rc != E_OK)
			die("add", &e);
		if (i % 10000 == 9999) {
			sqlite3_exec(db, "COMMIT; BEGIN", NULL, NULL, NULL);
			if (i % 100000 == 99999)
				fprintf(stderr, "   loaded %zu\n", i + 1);
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t = ms_now() - t;
	printf("RESULT records loaded %ld\n", n);
	printf("RESULT records load_records_per_s %.0f\n", n / (t / 1e3));

measure:
	/* values to type: the fields of random visitors */
	for (k = 0; k < NSAMPLE * 4 && k < (size_t)n * 4; k++) {
		struct record r;
		int64_t seq = 1 + (int64_t)randombytes_uniform((uint32_t)n);
		size_t j = randombytes_uniform(NSAMPLE);

		if (rec_get(lb, seq, &r, &e) != E_OK || r.kind != REC_VISITOR || r.deleted)
			continue;
		snprintf(samples[0][j].text, REC_NAME, "%s", r.u.visitor.name);
		snprintf(samples[1][j].text, REC_NAME, "%s", r.u.visitor.id_number);
		snprintf(samples[2][j].text, REC_NAME, "%s", r.u.visitor.phone);
		if (r.u.visitor.plate[0] != '\0')
			snprintf(samples[3][j].text, REC_NAME, "%s", r.u.visitor.plate);
	}

	/* ---- search as you type: every prefix of sampled values, one query per keystroke ---- */
	lat = calloc((size_t)typed * 24, sizeof *lat);
	trace =
	    getenv("BENCH_SEARCH_TRACE") != NULL ? fopen(getenv("BENCH_SEARCH_TRACE"), "w") : NULL;
	for (i = 0; i < (size_t)typed; i++) {
		struct sample *s = &samples[i % 4][randombytes_uniform(NSAMPLE)];
		size_t len = strlen(s->text), p;

		for (p = 1; p <= len; p++) {
			char prefix[REC_NAME];

			if (((unsigned char)s->text[p - 1] & 0xc0) == 0x80 && p < len &&
			    ((unsigned char)s->text[p] & 0xc0) == 0x80)
				continue; /* inside a character: no keystroke yet */
			if (p < len && ((unsigned char)s->text[p] & 0xc0) == 0x80)
				continue;
			struct vfs_stats v0, v1;
			double cpu;

			memcpy(prefix, s->text, p);
			prefix[p] = '\0';
			vfs_stats(&v0);
			cpu = cpu_ms_now();
			t = ms_now();
			if (rec_search(lb, prefix, 20, noop, &found, &e) != E_OK)
				die("search", &e);
			lat[nlat++] = ms_now() - t;
			cpu = cpu_ms_now() - cpu;
			vfs_stats(&v1);
			if (trace != NULL)
				fprintf(trace, "%zu %s %zu %.3f %.3f %llu\n", nlat,
				    (const char *[]){"name", "id", "phone", "plate"}[i % 4], p,
				    lat[nlat - 1], cpu,
				    (unsigned long long)(v1.opened - v0.opened));
		}
	}
	if (trace != NULL)
		fclose(trace);
	printf("RESULT records search_keystrokes %zu\n", nlat);
	printf("RESULT records search_ms_median %.3f\n", pct(lat, nlat, 0.5));
	printf("RESULT records search_ms_p99 %.3f\n", pct(lat, nlat, 0.99));
	printf("RESULT records search_ms_max %.3f\n", lat[nlat - 1]);

	/* ---- the report of a full day (the second one) ---- */
	lat_rep = calloc(10, sizeof *lat_rep);
	for (i = 0; i < 10; i++) {
		t = ms_now();
		/* the second day when there is a full one, else the first */
		if (report_day(lb, clock_day(T0, 0) + (n >= 2 * per_day), &rep, &e) != E_OK)
			die("report", &e);
		lat_rep[i] = ms_now() - t;
	}
	for (k = 1, found = 0; k < REC_KIND_COUNT; k++)
		found += rep.count[k];
	printf("RESULT records report_day_records %ld\n", found);
	printf("RESULT records report_day_ms_median %.1f\n", pct(lat_rep, 10, 0.5));

	logbook_close(lb);
	sqlite3_close(db);
	vault_close(v);
	if (stat(path, &st) == 0)
		printf("RESULT records file_bytes_per_record %.0f\n", (double)st.st_size / n);

	/* ---- add end to end: process start to durable commit ---- */
	lat_add = calloc((size_t)adds, sizeof *lat_add);
	for (i = 0; i < (size_t)adds; i++) {
		pid_t pid;
		int status;

		fflush(stdout);
		t = ms_now();
		if ((pid = fork()) == 0) {
			freopen("/dev/null", "w", stdout);
			execl(argv[2], argv[2], "add", "temp", "--temp", "36.6", "--db", path,
			    "--passphrase-file", passfile, (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			die("outpost add", NULL);
		lat_add[i] = ms_now() - t;
	}
	printf("RESULT records add_e2e_ms_median %.1f\n", pct(lat_add, (size_t)adds, 0.5));
	free(lat);
	free(lat_add);
	free(lat_rep);
	return 0;
}
