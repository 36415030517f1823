/* stations.c — bench-stations, the stations of bench/series.sh: each one the real sync
 * client (sync/client.c over ZeroMQ CURVE, as a station's logbook drives it) with an
 * in-memory source of typical records of every kind, against a separate `outpost-hub
 * serve` on either backend. Unlike bench-pg-stations (one push from stations enrolled
 * on the spot) they live across runs, so one set of stations can push again and again
 * as the store grows:
 *
 *   bench-stations enroll DIR < tokens   enrolls one station per token (the lines
 *       `outpost-hub enroll` printed) and keeps each one's identity and last seq in
 *       DIR/station-N.db (a plain SQLite file: bench keys only, nothing personal)
 *   bench-stations push DIR PER          every station of DIR pushes its next PER records
 *       (seq after the last it pushed, logged over the last hours) at once, each from its
 *       own thread, and prints "RESULT stations NAME VALUE" lines: stations,
 *       stations_complete, records, seconds, records_per_s, cpu_s (user + system of this
 *       process during the push only, records made beforehand). Exit 1 unless every
 *       station's records were all acknowledged. With BENCH_STATIONS_SPLIT=1 every other
 *       station (the 2nd, 4th, …) lists its token's first two endpoints the other way
 *       round for this push, so two serve processes each take half of the stations. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bench/source.h"
#include "sync/client.h"
#include "sync/link.h"
#include "sync/identity.h"

#define BODY 640
#define MAX_STATIONS 1000

/* Records first+1 … first+n, logged one every 20 s up to now. */
static int
fill(struct bench_station *s, int64_t n, int64_t now)
{
	int64_t i;

	s->n = n;
	if ((s->r = calloc((size_t)n, sizeof *s->r)) == NULL ||
	    (s->bodies = malloc((size_t)n * BODY)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		char *b = s->bodies + i * BODY;
		const char *kind = bench_body_mix(s->first + i + 1, b, BODY);

		s->r[i].seq = (uint64_t)(s->first + i + 1);
		snprintf(s->r[i].kind, sizeof s->r[i].kind, "%s", kind);
		s->r[i].created_ms = now - (n - i) * 20000;
		s->r[i].body = b;
		s->r[i].body_len = strlen(b);
	}
	return 0;
}

static void *
run(void *a)
{
	struct bench_station *s = a;
	struct sync_source src;
	struct sync_opts o = { .request_ms = 120000 };
	struct sync_client *c;
	struct err e;

	bench_source(s, &src);
	if (sync_client_new(s->id, &src, &o, &c, &e) != E_OK) {
		fprintf(stderr, "bench-stations: %s\n", e.msg);
		return NULL;
	}
	s->result = sync_client_run_once(c, 1800000);
	sync_client_free(c);
	return NULL;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The station's state file: its identity and, in bench(uid, last), its logbook's station
 * id and the last seq it pushed. */
static int
state_open(const char *path, int create, sqlite3 **db)
{
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-stations: %s: %s\n", path, sqlite3_errmsg(*db));
		sqlite3_close(*db);
		return -1;
	}
	return 0;
}

static int
state_put(sqlite3 *db, const char *uid, int64_t last)
{
	char sql[200];

	snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS bench(uid TEXT, last INTEGER);"
	    "DELETE FROM bench; INSERT INTO bench VALUES('%s', %lld)", uid, (long long)last);
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int
state_get(sqlite3 *db, struct bench_station *s)
{
	sqlite3_stmt *q;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT uid, last FROM bench", -1, &q, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == WIRE_STATION_UID) {
		memcpy(s->uid, sqlite3_column_text(q, 0), WIRE_STATION_UID);
		s->uid[WIRE_STATION_UID] = '\0';
		s->first = sqlite3_column_int64(q, 1);
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

static int
enroll(const char *dir)
{
	char line[1024], raw[16];
	struct bench_station s;
	struct err e;
	sqlite3 *db;
	int n = 0;

	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "OUTPOST1.", 9) != 0)
			continue;
		memset(&s, 0, sizeof s);
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(s.uid, sizeof s.uid, (const unsigned char *)raw, sizeof raw);
		if (sync_enroll(line, s.uid, 30000, &s.id, &e) != E_OK) {
			fprintf(stderr, "bench-stations: enroll: %s\n", e.msg);
			return 1;
		}
		snprintf(s.path, sizeof s.path, "%s/station-%04d.db", dir, n);
		if (state_open(s.path, 1, &db) != 0)
			return 1;
		if (identity_save(db, s.id, &e) != E_OK || state_put(db, s.uid, 0) != 0) {
			fprintf(stderr, "bench-stations: %s: cannot save the station\n", s.path);
			sqlite3_close(db);
			return 1;
		}
		sqlite3_close(db);
		identity_free(s.id);
		n++;
	}
	printf("RESULT stations enrolled %d\n", n);
	return n > 0 ? 0 : 1;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
only_stations(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return strncmp(d->d_name, "station-", 8) == 0 && n > 3 &&
	    strcmp(d->d_name + n - 3, ".db") == 0;
}

static int
push(const char *dir, int64_t per)
{
	static struct bench_station st[MAX_STATIONS];
	static pthread_t th[MAX_STATIONS];
	struct dirent **ents;
	struct err e;
	sqlite3 *db;
	int64_t total = 0, now = (int64_t)time(NULL) * 1000;
	int n, i, ok = 0;
	double t0, c0, t, c;
	const char *sp = getenv("BENCH_STATIONS_SPLIT");
	int split = sp != NULL && strcmp(sp, "1") == 0;
	char a[120], b[120];	/* two endpoints and a comma fit the identity's 256 */

	if ((n = scandir(dir, &ents, only_stations, by_name)) < 0) {
		perror(dir);
		return 1;
	}
	if (n > MAX_STATIONS)
		n = MAX_STATIONS;
	for (i = 0; i < n; i++) {
		snprintf(st[i].path, sizeof st[i].path, "%s/%s", dir, ents[i]->d_name);
		if (state_open(st[i].path, 0, &db) != 0)
			return 1;
		if (identity_load(db, &st[i].id, &e) != E_OK || state_get(db, &st[i]) != 0) {
			fprintf(stderr, "bench-stations: %s: not a station\n", st[i].path);
			return 1;
		}
		sqlite3_close(db);
		if (split && i % 2 == 1) {
			if (link_endpoint(st[i].id->endpoint, 0, a, sizeof a) < 2) {
				fprintf(stderr, "bench-stations: BENCH_STATIONS_SPLIT=1 needs tokens "
				    "with two endpoints\n");
				return 1;
			}
			link_endpoint(st[i].id->endpoint, 1, b, sizeof b);
			snprintf(st[i].id->endpoint, sizeof st[i].id->endpoint, "%s,%s", b, a);
		}
		st[i].acked = st[i].first;
		if (fill(&st[i], per, now) != 0) {
			fprintf(stderr, "bench-stations: out of memory\n");
			return 1;
		}
	}
	t0 = bench_now_s();
	c0 = cpu_s();
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, run, &st[i]);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	t = bench_now_s() - t0;
	c = cpu_s() - c0;
	for (i = 0; i < n; i++) {
		ok += st[i].acked == st[i].first + per;
		total += st[i].acked - st[i].first;
		if (state_open(st[i].path, 0, &db) != 0 || state_put(db, st[i].uid, st[i].acked) != 0) {
			fprintf(stderr, "bench-stations: %s: cannot save the last seq\n", st[i].path);
			return 1;
		}
		sqlite3_close(db);
		identity_free(st[i].id);
		free(st[i].r);
		free(st[i].bodies);
		free(ents[i]);
	}
	free(ents);
	printf("RESULT stations stations %d\n", n);
	printf("RESULT stations stations_complete %d\n", ok);
	printf("RESULT stations records %lld\n", (long long)total);
	printf("RESULT stations seconds %.3f\n", t);
	printf("RESULT stations records_per_s %.0f\n", t > 0 ? (double)total / t : 0.0);
	printf("RESULT stations cpu_s %.2f\n", c);
	return ok == n && n > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "enroll") == 0)
		return enroll(argv[2]);
	if (argc == 4 && strcmp(argv[1], "push") == 0 && atoll(argv[3]) > 0)
		return push(argv[2], atoll(argv[3]));
	fprintf(stderr, "usage: bench-stations enroll DIR < tokens\n"
	    "       bench-stations push DIR RECORDS_PER_STATION\n");
	return 1;
}
