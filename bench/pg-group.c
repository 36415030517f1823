/* pg-group.c — the PostgreSQL store's ingest called directly, for bench/pg-group.sh: one
 * batch a transaction (hubstore_ingest then hubstore_station_seen, as serve did before
 * groups) against groups of up to HUB_GROUP_MAX stations' batches in one call
 * (hubstore_ingest_group), with the same typical visitor records, in one or several
 * processes (each its own connection and its own share of the stations).
 *   bench-pg-group init URL PASSPHRASE STATIONS
 *   bench-pg-group run URL PASSPHRASE one|group PROCS FROM TO BATCH
 * run stores seqs FROM+1 … TO of every station, BATCH records a batch, station after
 * station in rounds (a group: the next HUB_GROUP_MAX stations of the process's share), and
 * prints "RESULT pgg NAME VALUE" lines: records, seconds (wall, the ingest calls of the
 * slowest process), records_per_s, hub_cpu_s (user + system of the processes). With
 * BENCH_PGG_DAYS=N a run's records are spread over the last N days (one partition a day),
 * else a second apart up to now. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "bench/source.h"
#include "crypto/vault.h"
#include "hub/store.h"

#define BODY 384

static struct hub_store *
open_store(const char *url, const char *pass, int create)
{
	struct hubstore_params p = { 0 };
	struct hub_store *s = NULL;
	struct err e;

	p.address = url;
	p.secret = pass;
	p.secret_len = strlen(pass);
	p.create = create;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	if (hubstore_open(&p, &s, &e) != E_OK) {
		fprintf(stderr, "bench-pg-group: open: %s\n", e.msg);
		exit(1);
	}
	return s;
}

static int
init(const char *url, const char *pass, int n)
{
	struct hub_store *s = open_store(url, pass, 1);
	uint8_t epk[32], cpk[32], spk[32];
	struct hub_station st;
	char name[32], uid[33];
	struct err e;
	uint64_t id;
	int i;

	if (hubstore_keys_create(s, &e) != E_OK) {
		fprintf(stderr, "bench-pg-group: keys: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		randombytes_buf(epk, 32);
		randombytes_buf(cpk, 32);
		randombytes_buf(spk, 32);
		snprintf(name, sizeof name, "station-%d", i);
		snprintf(uid, sizeof uid, "%032x", i + 1);
		if (hubstore_station_add(s, name, epk, 0, &id, &e) != E_OK ||
		    hubstore_enroll_complete(s, epk, cpk, spk, uid, 0, &st, &e) != E_OK) {
			fprintf(stderr, "bench-pg-group: station: %s\n", e.msg);
			return 1;
		}
	}
	hubstore_close(s);
	return 0;
}

struct station {
	struct hub_station st;
	struct bench_station b;	/* this batch's records */
};

/* Fills station x's batch with seqs first+1 … first+n of a run that ends with seq to at
 * now, step_ms apart. */
static void
fill(struct station *x, int64_t first, int64_t n, int64_t to, int64_t now_ms, int64_t step_ms)
{
	free(x->b.r);
	free(x->b.bodies);
	x->b.first = first;
	bench_fill_visitors(&x->b, n, now_ms - (to - first) * step_ms, step_ms, BODY);
}

/* One process's share: stations p, p + procs, … */
static int
run(const char *url, const char *pass, int group, int procs, int p, int64_t from,
    int64_t to, int64_t batch, int fd)
{
	struct hub_store *s = open_store(url, pass, 0);
	struct station *x = NULL;
	struct hub_batch b[HUB_GROUP_MAX];
	struct hub_ingest res;
	struct err e;
	int n = 0, i, j, k;
	int64_t seq, records = 0, now_ms = (int64_t)time(NULL) * 1000, step_ms = 1000;
	const char *days = getenv("BENCH_PGG_DAYS");
	double t = 0, t0;
	char name[32], out[128];

	for (i = p;; i += procs) {
		struct station *y;
		snprintf(name, sizeof name, "station-%d", i);
		if ((y = realloc(x, (size_t)(n + 1) * sizeof *x)) == NULL)
			return 1;
		x = y;
		memset(&x[n], 0, sizeof x[n]);
		if (hubstore_station_by_name(s, name, &x[n].st, &e) != E_OK)
			break;
		n++;
	}
	/* a station's records over the last BENCH_PGG_DAYS days (so the store has their day
	 * partitions), or a second apart up to now */
	if (days != NULL && atoi(days) > 0 && to > from)
		step_ms = atoi(days) * 86400000LL / (to - from);
	for (seq = from; seq < to; seq += batch) {
		int64_t m = to - seq < batch ? to - seq : batch;
		for (i = 0; i < n; i += group ? HUB_GROUP_MAX : 1) {
			k = group ? (n - i < HUB_GROUP_MAX ? n - i : HUB_GROUP_MAX) : 1;
			for (j = 0; j < k; j++)
				fill(&x[i + j], seq, m, to, now_ms, step_ms);
			t0 = bench_now_s();
			if (!group) {
				if (hubstore_ingest(s, &x[i].st, x[i].b.r, (size_t)m, now_ms, &res,
				    &e) != E_OK ||
				    hubstore_station_seen(s, x[i].st.id, now_ms, 0, 0, &e) != E_OK) {
					fprintf(stderr, "bench-pg-group: ingest: %s\n", e.msg);
					return 1;
				}
				free(res.conflicts);
				records += (int64_t)res.inserted;
			} else {
				for (j = 0; j < k; j++) {
					b[j].st = &x[i + j].st;
					b[j].r = x[i + j].b.r;
					b[j].n = (size_t)m;
				}
				if (hubstore_ingest_group(s, b, (size_t)k, now_ms, &e) != E_OK) {
					fprintf(stderr, "bench-pg-group: group: %s\n", e.msg);
					return 1;
				}
				for (j = 0; j < k; j++) {
					if (b[j].rc != E_OK) {
						fprintf(stderr, "bench-pg-group: batch: %s\n",
						    b[j].e.msg);
						return 1;
					}
					records += (int64_t)b[j].res.inserted;
					free(b[j].res.conflicts);
				}
			}
			t += bench_now_s() - t0;
		}
	}
	hubstore_close(s);
	snprintf(out, sizeof out, "%" PRId64 " %.3f\n", records, t);
	return write(fd, out, strlen(out)) == (ssize_t)strlen(out) ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	int procs, p, fds[2], status, bad = 0;
	int64_t records = 0, r;
	double secs = 0, t, cpu;
	FILE *in;

	if (sodium_init() < 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "init") == 0)
		return init(argv[2], argv[3], atoi(argv[4]));
	if (argc != 9 || strcmp(argv[1], "run") != 0 || (procs = atoi(argv[5])) < 1) {
		fprintf(stderr, "usage: bench-pg-group init URL PASSPHRASE STATIONS\n"
		    "       bench-pg-group run URL PASSPHRASE one|group PROCS FROM TO BATCH\n");
		return 1;
	}
	if (pipe(fds) != 0)
		return 1;
	for (p = 0; p < procs; p++)
		if (fork() == 0) {
			close(fds[0]);
			_exit(run(argv[2], argv[3], strcmp(argv[4], "group") == 0, procs, p,
			    atoll(argv[6]), atoll(argv[7]), atoll(argv[8]), fds[1]));
		}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in != NULL && fscanf(in, "%" SCNd64 " %lf", &r, &t) == 2) {
		records += r;
		if (t > secs)
			secs = t;
	}
	for (p = 0; p < procs; p++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	getrusage(RUSAGE_CHILDREN, &ru);
	cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("RESULT pgg records %" PRId64 "\n", records);
	printf("RESULT pgg seconds %.2f\n", secs);
	printf("RESULT pgg records_per_s %.0f\n", secs > 0 ? (double)records / secs : 0);
	printf("RESULT pgg hub_cpu_s %.2f\n", cpu);
	return bad;
}
