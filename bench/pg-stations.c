/* pg-stations.c — stations for bench/pg.sh: enrolls one simulated station per token read
 * from standard input (the tokens outpost-hub enroll printed), each with the real sync
 * client and an in-memory source of typical visitor records, then pushes them all at once
 * to the hub process(es) the tokens name and prints "RESULT pg NAME VALUE" lines: records,
 * seconds, records per second. With BENCH_PG_SPLIT=1 every other station lists the hub
 * addresses in the reverse order, so two hub processes share the stations.
 * Usage: bench-pg-stations RECORDS_PER_STATION < tokens */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "bench/source.h"
#include "sync/client.h"
#include "sync/identity.h"
#include "sync/link.h"

#define BODY 384
#define MAX_STATIONS 1000

static void *
run(void *a)
{
	struct bench_station *s = a;
	struct sync_source src;
	struct sync_opts o = { .request_ms = 60000 };
	struct sync_client *c;
	struct err e;

	bench_source(s, &src);
	if (sync_client_new(s->id, &src, &o, &c, &e) != E_OK)
		return NULL;
	s->result = sync_client_run_once(c, 600000);
	sync_client_free(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	static struct bench_station st[MAX_STATIONS];
	pthread_t th[MAX_STATIONS];
	char line[1024], a[120], b[120];
	struct err e;
	int64_t per, total = 0, now = (int64_t)time(NULL) * 1000;
	int n = 0, i, ok = 0, split = getenv("BENCH_PG_SPLIT") != NULL &&
	    atoi(getenv("BENCH_PG_SPLIT")) == 1;
	double t0, t;

	if (argc != 2 || (per = atoll(argv[1])) <= 0 || sodium_init() < 0) {
		fprintf(stderr, "usage: bench-pg-stations RECORDS_PER_STATION < tokens\n");
		return 1;
	}
	while (n < MAX_STATIONS && fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "OUTPOST1.", 9) != 0)
			continue;
		randombytes_buf(a, 16);
		sodium_bin2hex(st[n].uid, sizeof st[n].uid, (const unsigned char *)a, 16);
		if (sync_enroll(line, st[n].uid, 10000, &st[n].id, &e) != E_OK) {
			fprintf(stderr, "bench-pg-stations: enroll: %s\n", e.msg);
			return 1;
		}
		if (split && n % 2 == 1 && link_endpoint(st[n].id->endpoint, 0, a, sizeof a) > 1) {
			link_endpoint(st[n].id->endpoint, 1, b, sizeof b);
			snprintf(st[n].id->endpoint, sizeof st[n].id->endpoint, "%s,%s", b, a);
		}
		bench_fill_visitors(&st[n], per, now - per * 20000, 20000, BODY);
		n++;
	}
	t0 = bench_now_s();
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, run, &st[i]);
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		ok += st[i].acked == per;
		total += st[i].acked;
	}
	t = bench_now_s() - t0;
	printf("RESULT pg stations %d\n", n);
	printf("RESULT pg stations_complete %d\n", ok);
	printf("RESULT pg records %lld\n", (long long)total);
	printf("RESULT pg seconds %.2f\n", t);
	printf("RESULT pg records_per_s %.0f\n", (double)total / t);
	return ok == n ? 0 : 1;
}
