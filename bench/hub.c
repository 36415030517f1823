/* hub.c — bench-hub: fills a hub store (an encrypted SQLite file through crypto/'s VFS, or
 * a postgresql://… address) with records from S stations spread over 28 days, through the
 * store's ingest (one transaction per 500-record batch, as PUSH does, without the network),
 * until it holds N records, and prints the ingest rate per step, its CPU time and the
 * largest WAL seen. A store that exists already (made by `outpost-hub init`, or by an
 * earlier bench-hub) is grown: its stations station-000… are found by name and go on from
 * the highest seq each holds, new ones are added, and the records it lacks to hold N
 * (counted over every station) are spread over the same 28 days again. The days start at
 * FIRST_MS (default 2026-05-28). bench/hub.sh, pg-read.sh and series.sh then time the
 * outpost-hub commands on it. Usage: bench-hub STORE PASSFILE N [STATIONS [FIRST_MS]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/vault.h"
#include "hub/store.h"

#define BATCH 500
#define DAY 86400000LL

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process so far: what the load does not inflate. */
static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* A body as storage writes it, of a kind picked by i. */
static const char *
body_of(uint64_t seq, uint64_t i, char *buf, size_t n, const char **kind)
{
	static const char *const names[] = { "张伟", "王芳", "李娜", "刘洋" };

	switch (i % 8) {
	case 0: case 1: case 2:
		*kind = "temp";
		snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"value\":%s,\"method\":\"forehead\",\"person\":\"%s\",\"recheck_of\":0,"
		    "\"disposition\":\"pass\",\"fever\":%d,\"recheck_due_ms\":0}}",
		    (unsigned long long)seq, i % 50 == 0 ? "37.9" : "36.6", names[i % 4],
		    i % 50 == 0);
		break;
	case 3: case 4:
		*kind = "visitor";
		snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"id_type\":\"resident_id\",\"id_number\":\"110101199003074514\",\"name\":"
		    "\"%s\",\"phone\":\"13800138000\",\"plate\":\"\",\"host\":\"3-2-301\","
		    "\"reason\":\"探亲\",\"health_code\":\"green\",\"id_unverified\":0,\"note\":\"\"}}",
		    (unsigned long long)seq, names[i % 4]);
		break;
	case 5:
		*kind = "vehicle";
		snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"plate\":\"鄂A12345\",\"driver_name\":\"%s\",\"driver_id_number\":"
		    "\"110101199003074514\",\"driver_phone\":\"13800138000\",\"occupants\":2,"
		    "\"occupant_temps\":[36.5,36.7],\"origin\":\"武汉\",\"destination\":\"孝感\","
		    "\"reason\":\"运输\",\"disposition\":\"pass\",\"id_unverified\":0,\"note\":\"\","
		    "\"flagged\":%d,\"flag_reason\":\"\",\"fever\":0}}", (unsigned long long)seq,
		    names[i % 4], i % 40 == 5);
		break;
	case 6:
		*kind = "collection";
		snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"bin\":\"B%llu\",\"bags\":2,\"weight\":3.5,\"fill\":80,\"disinfectant\":"
		    "\"84消毒液\",\"seal\":\"S1\",\"handed_to\":\"环卫\"}}", (unsigned long long)seq,
		    (unsigned long long)(i % 5));
		break;
	default:
		*kind = "triage";
		snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"name\":\"%s\",\"id_type\":\"resident_id\",\"id_number\":\"110101199003074514\","
		    "\"phone\":\"13800138000\",\"temp\":37.1,\"symptoms\":[\"cough\"],\"epi\":[],"
		    "\"route\":\"general_clinic\",\"suggested\":\"general_clinic\",\"route_rule\":"
		    "\"\",\"id_unverified\":0,\"note\":\"\",\"fever\":0}}", (unsigned long long)seq,
		    names[i % 4]);
	}
	return buf;
}

static int
add_held(const struct hub_station *st, void *arg)
{
	*(uint64_t *)arg += st->held;
	return 0;
}

int
main(int argc, char **argv)
{
	struct hubstore_params p = { 0 };
	struct hub_store *s;
	struct hub_station *st;
	struct wire_record *w;
	struct hub_ingest res;
	struct err e = { 0 };
	char (*bodies)[1024], wal[4200], pass[256];
	const char *kind;
	uint64_t n, nst, i, *seq, done = 0, id, step, start_n = 0, add;
	uint8_t epk[32], k[32];
	int64_t t0 = 1780000000000LL;
	double start, last, cpu0;
	long long walmax = 0, ws;
	FILE *f;
	size_t j, len;

	if (argc < 4) {
		fprintf(stderr, "usage: bench-hub STORE PASSFILE N [STATIONS [FIRST_MS]]\n");
		return 1;
	}
	n = strtoull(argv[3], NULL, 10);
	nst = argc > 4 ? strtoull(argv[4], NULL, 10) : 200;
	if (argc > 5)
		t0 = strtoll(argv[5], NULL, 10);
	if (nst == 0 || t0 <= 0) {
		fprintf(stderr, "bench-hub: STATIONS and FIRST_MS must be positive\n");
		return 1;
	}
	if ((f = fopen(argv[2], "r")) == NULL || fgets(pass, sizeof pass, f) == NULL)
		return 1;
	fclose(f);
	len = strcspn(pass, "\n");
	if (sodium_init() < 0)
		return 1;
	p.address = argv[1];
	p.secret = pass;
	p.secret_len = len;
	/* a new store unless one is there (store-sqlite's probe says E_IO for a missing file) */
	if (strcmp(hubstore_backend_of(argv[1]), "sqlite") == 0)
		p.create = access(argv[1], F_OK) != 0;
	else
		p.create = hubstore_probe(argv[1], &e) == E_USAGE;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	if (hubstore_open(&p, &s, &e) != E_OK || (p.create && hubstore_keys_create(s, &e) !=
	    E_OK) || (!p.create && hubstore_stations(s, add_held, &start_n, &e) != E_OK)) {
		fprintf(stderr, "bench-hub: %s\n", e.msg);
		return 1;
	}
	snprintf(wal, sizeof wal, "%s-wal", argv[1]);
	st = calloc(nst, sizeof *st);
	seq = calloc(nst, sizeof *seq);
	w = calloc(BATCH, sizeof *w);
	bodies = malloc(BATCH * sizeof *bodies);
	for (i = 0; i < nst; i++) {
		char name[32], uid[WIRE_STATION_UID + 1];
		randombytes_buf(epk, sizeof epk);
		randombytes_buf(k, sizeof k);
		snprintf(name, sizeof name, "station-%03llu", (unsigned long long)i);
		snprintf(uid, sizeof uid, "%032llx", (unsigned long long)i + 1);
		if (!p.create && hubstore_station_by_name(s, name, &st[i], &e) == E_OK &&
		    st[i].status == HUB_ACTIVE) {
			seq[i] = st[i].max_seq;
			continue;
		}
		if (hubstore_station_add(s, name, epk, t0, &id, &e) != E_OK ||
		    hubstore_enroll_complete(s, epk, k, k, uid, t0, &st[i], &e) != E_OK) {
			fprintf(stderr, "bench-hub: %s\n", e.msg);
			return 1;
		}
	}
	start = last = now_s();
	cpu0 = cpu_s();
	if (start_n >= n) {
		printf("store holds %llu records already (%llu asked)\n",
		    (unsigned long long)start_n, (unsigned long long)n);
		goto out;
	}
	add = n - start_n;
	done = start_n;
	step = add / 10 > 0 ? add / 10 : add;
	/* round robin over the stations, each batch one station's next 500, the days in
	 * order as 28 days of logging would bring them */
	for (i = start_n / BATCH; done < n; i++) {
		uint64_t sti = i % nst, m = n - done < BATCH ? n - done : BATCH;
		for (j = 0; j < m; j++) {
			uint64_t q = ++seq[sti], g = done + j;
			w[j].seq = q;
			body_of(q, g, bodies[j], sizeof bodies[j], &kind);
			snprintf(w[j].kind, sizeof w[j].kind, "%s", kind);
			w[j].created_ms = t0 + (int64_t)((g - start_n) * 28 * (uint64_t)DAY / add);
			w[j].body = bodies[j];
			w[j].body_len = strlen(bodies[j]);
		}
		if (hubstore_ingest(s, &st[sti], w, m, t0 + 28 * DAY, &res, &e) != E_OK) {
			fprintf(stderr, "bench-hub: %s\n", e.msg);
			return 1;
		}
		free(res.conflicts);
		done += m;
		if ((ws = file_size(wal)) > walmax)
			walmax = ws;
		if ((done - start_n) % step < m || done == n) {
			double t = now_s();
			printf("ingest %llu records: %.0f records/s (last step %.0f/s), WAL max %.1f MB\n",
			    (unsigned long long)done, (double)(done - start_n) / (t - start),
			    (double)((done - start_n) % step < m ? step : (done - start_n) % step) /
			    (t - last),
			    (double)walmax / 1048576.0);
			fflush(stdout);
			last = t;
		}
	}
	printf("CPU %.2f s (user + sys), %.1f us per record\n", cpu_s() - cpu0,
	    (cpu_s() - cpu0) * 1e6 / (double)(add ? add : 1));
	printf("store %.1f MB, WAL max %.1f MB\n", (double)file_size(argv[1]) / 1048576.0,
	    (double)walmax / 1048576.0);
out:
	free(st);
	free(seq);
	free(w);
	free(bodies);
	hubstore_close(s);
	return 0;
}
