/* source.h — an in-memory station for the benchmarks (bench-sync, bench-pg-stations,
 * bench-stations): records first+1 … first+n in an array, handed to the real sync client as
 * its struct sync_source; nothing pulled is applied. Header-only: each benchmark is one
 * program. */
#ifndef OUTPOST_BENCH_SOURCE_H
#define OUTPOST_BENCH_SOURCE_H

#include <stdint.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync/client.h"
#include "sync/identity.h"

struct bench_station {
	char path[4096];		/* bench-stations: the file its identity is kept in */
	char uid[WIRE_STATION_UID + 1];
	int64_t first, n, acked;	/* records first+1 … first+n, of which acked held */
	struct wire_record *r;		/* r[i] is record first+1+i */
	char *bodies;
	struct identity *id;
	int result;
};

static const char *bs_uid(void *a) { return ((struct bench_station *)a)->uid; }
static int64_t bs_acked(void *a) { return ((struct bench_station *)a)->acked; }
static int64_t bs_last(void *a) { struct bench_station *s = a; return s->first + s->n; }
static int64_t bs_version(void *a, int k) { (void)a; (void)k; return 0; }

static int
bs_apply(void *a, int k, const struct wire_item *it, struct err *e)
{
	(void)a;
	(void)k;
	(void)it;
	(void)e;
	return E_OK;
}

static int
bs_set_acked(void *a, int64_t hw, struct err *e)
{
	struct bench_station *s = a;

	(void)e;
	if (hw > s->acked)
		s->acked = hw;
	return E_OK;
}

static int
bs_read(void *a, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct wire_record *, void *), void *arg, struct err *e)
{
	struct bench_station *s = a;
	size_t rows = 0, bytes = 0;
	int64_t q;

	(void)e;
	for (q = (after > s->first ? after : s->first) + 1; q <= s->first + s->n; q++) {
		const struct wire_record *r = &s->r[q - s->first - 1];

		if (rows > 0 && (rows >= max_rows || bytes + r->body_len > max_bytes))
			break;
		if (cb(r, arg) != 0)
			break;
		rows++;
		bytes += r->body_len;
	}
	return E_OK;
}

/* s as the sync client's source. */
static __attribute__((unused)) void
bench_source(struct bench_station *s, struct sync_source *src)
{
	src->arg = s;
	src->uid = bs_uid;
	src->read = bs_read;
	src->acked = bs_acked;
	src->set_acked = bs_set_acked;
	src->last_seq = bs_last;
	src->version = bs_version;
	src->apply = bs_apply;
}

/* A number in [0, n), from libsodium. */
static __attribute__((unused)) unsigned
bench_rnd(unsigned n)
{
	return randombytes_uniform(n);
}

/* A body as storage writes it, of the kind the mix of a checkpoint's day picks for q: three
 * in eight temperature checks, two visitors, a vehicle, a bin collection, a triage; with
 * personal fields drawn at random, one fever in fifty checks. */
static __attribute__((unused)) const char *
bench_body_mix(int64_t q, char *b, size_t n)
{
	static const char *const names[] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊" };
	const char *name = names[bench_rnd(6)];
	char idn[24];

	snprintf(idn, sizeof idn, "1101011990%04u%03u%c", 101 + bench_rnd(1100),
	    bench_rnd(1000), "0123456789X"[bench_rnd(11)]);
	switch (q % 8) {
	case 0: case 1: case 2: {
		int fever = bench_rnd(50) == 0;

		snprintf(b, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"value\":%s,\"method\":\"forehead\",\"person\":\"%s\",\"recheck_of\":0,"
		    "\"disposition\":\"%s\",\"override_reason\":\"\",\"fever\":%d}}", (long long)q,
		    fever ? "37.9" : "36.6", name, fever ? "referred" : "pass", fever);
		return "temp";
	}
	case 3: case 4:
		snprintf(b, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"id_type\":\"resident_id\",\"id_number\":\"%s\",\"name\":\"%s\",\"phone\":"
		    "\"138%08u\",\"plate\":\"京A%05u\",\"host\":\"%u-%u-%u0%u\",\"reason\":\"探亲\","
		    "\"health_code\":\"green\",\"id_unverified\":0,\"note\":\"\"}}", (long long)q, idn,
		    name, bench_rnd(100000000), bench_rnd(100000), 1 + bench_rnd(20),
		    1 + bench_rnd(6), 1 + bench_rnd(30), 1 + bench_rnd(4));
		return "visitor";
	case 5:
		snprintf(b, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"plate\":\"鄂A%05u\",\"driver_name\":\"%s\",\"driver_id_number\":\"%s\","
		    "\"driver_phone\":\"139%08u\",\"occupants\":2,\"occupant_temps\":[36.5,36.7],"
		    "\"origin\":\"武汉\",\"destination\":\"孝感\",\"reason\":\"运输\",\"disposition\":"
		    "\"pass\",\"id_unverified\":0,\"note\":\"\",\"flagged\":%d,\"flag_reason\":\"\","
		    "\"fever\":0}}", (long long)q, bench_rnd(100000), name, idn,
		    bench_rnd(100000000), bench_rnd(40) == 0);
		return "vehicle";
	case 6:
		snprintf(b, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"bin\":\"B%u\",\"bags\":%u,\"weight_kg\":3.5,\"fill\":80,\"disinfectant\":"
		    "\"84消毒液\",\"seal\":\"S%u\",\"handed_to\":\"环卫\"}}", (long long)q, bench_rnd(5),
		    1 + bench_rnd(4), bench_rnd(1000));
		return "collection";
	default:
		snprintf(b, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"值班员\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"name\":\"%s\",\"id_type\":\"resident_id\",\"id_number\":\"%s\",\"phone\":"
		    "\"137%08u\",\"temp\":37.1,\"symptoms\":[\"cough\"],\"epi\":[],\"route\":"
		    "\"general_clinic\",\"suggested\":\"general_clinic\",\"route_rule\":\"\","
		    "\"id_unverified\":0,\"note\":\"\",\"fever\":0}}", (long long)q, name, idn,
		    bench_rnd(100000000));
		return "triage";
	}
}

/* Fills s with n visitor records shaped as storage's canonical body (each in a slot of
 * body bytes), with random personal fields; record i (from 0) is created at
 * first_ms + i * step_ms. Exits on out of memory: a benchmark has nothing to fall back on. */
static __attribute__((unused)) void
bench_fill_visitors(struct bench_station *s, int64_t n, int64_t first_ms, int64_t step_ms,
    size_t body)
{
	static const char *const names[] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊" };
	static const char *const reasons[] = { "探亲", "送货", "维修", "快递", "就医" };
	int64_t i;
	char *b;

	s->n = n;
	s->r = calloc((size_t)n, sizeof *s->r);
	s->bodies = malloc((size_t)n * body);
	if (s->r == NULL || s->bodies == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		b = s->bodies + i * body;
		snprintf(b, body, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%lld,\"tz\":480,"
		    "\"operator\":\"李明\",\"shift\":%lld,\"reason\":\"\",\"alert\":\"\",\"data\":{"
		    "\"id_type\":\"resident_id\",\"id_number\":\"1101011990%04u%03u%c\",\"name\":"
		    "\"%s\",\"phone\":\"138%08u\",\"plate\":\"京A%05u\",\"host\":\"%u-%u-%u0%u\","
		    "\"reason\":\"%s\",\"health_code\":\"green\",\"id_unverified\":0,\"note\":\"\"}}",
		    (long long)(s->first + i + 1), (long long)(1 + i / 400),
		    101 + randombytes_uniform(1100), randombytes_uniform(1000),
		    "0123456789X"[randombytes_uniform(11)], names[randombytes_uniform(6)],
		    randombytes_uniform(100000000), randombytes_uniform(100000),
		    1 + randombytes_uniform(20), 1 + randombytes_uniform(6),
		    1 + randombytes_uniform(30), 1 + randombytes_uniform(4),
		    reasons[randombytes_uniform(5)]);
		s->r[i].seq = (uint64_t)(s->first + i + 1);
		strcpy(s->r[i].kind, "visitor");
		s->r[i].created_ms = first_ms + i * step_ms;
		s->r[i].body = b;
		s->r[i].body_len = strlen(b);
	}
}

/* Seconds on the monotonic clock. */
static __attribute__((unused)) double
bench_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
