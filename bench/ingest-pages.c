/* ingest-pages.c — bench-ingest-pages: where the SQLite hub store's ingest writes and reads,
 * counted per record. The stations bench-1 … bench-S of a store (as bench/series.sh enrolls
 * them) push their next PER records each (bench-stations' mix of kinds, logged one every
 * 20 s up to now), in process, in round robin as serve interleaves 200 stations pushing at
 * once, in batches of up to 48 KiB of bodies as the sync client sends them, one
 * hubstore_ingest (or, with --group N, one hubstore_ingest_group of N stations' batches)
 * at a time, and hubstore_checkpoint after every 64 batches as serve does (--every N). Prints per
 * record: WAL frames the commits wrote (read from the WAL's frame headers, which are
 * clear), frames the checkpoints copied back (each page once per checkpoint), pages read from the file (page-cache misses,
 * each one a page decrypted), CPU (user + system) of the ingest alone; with --map, per
 * b-tree (table or index, found with dbstat after the run) the frames written, the
 * distinct pages written per commit, and its depth. The autocheckpoint (every
 * --autocheckpoint N frames, default the store's 1000) is done by this program's WAL hook
 * the way SQLite's own does it (PASSIVE), so frames can be counted. It changes the store:
 * run it on a copy. Usage:
 *   bench-ingest-pages [--cache MIB] [--autocheckpoint N] [--every N] [--group N]
 *       [--sql SQL] [--map] STORE PASSFILE PER [STATIONS]
 * --sql runs SQL on the store before the push (an index to try); --cache sets the page
 * cache (PRAGMA cache_size) after the store's own settings. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bench/source.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"

#define BODY 640
#define BATCH_BYTES (48 * 1024)
#define WAL_HDR 32
#define FRAME_HDR 24

/* What the WAL hook counts. */
struct meter {
	int fd;			/* the WAL, read-only */
	int page;		/* bytes per page (from the WAL header) */
	int last;		/* frames in the WAL after the previous commit */
	int autockpt;		/* frames that trigger a PASSIVE checkpoint; 0: never */
	long long frames, commits, ckpt_pages, ckpts, walmax;
	size_t ckpt_from;	/* pg[] index where the frames not yet checkpointed start */
	uint32_t *pg;		/* the page of every frame written, in order */
	size_t npg, cap;
	size_t *commit_end;	/* npg after each commit */
	size_t ncommit, ccap;
};

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = need * 2 + 1024;
	if ((p = realloc(p, *cap * size)) == NULL) {
		fprintf(stderr, "bench-ingest-pages: out of memory\n");
		exit(1);
	}
	return p;
}

static uint32_t
be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* A checkpoint that left log frames of which done copied back: when complete, it copied
 * the frames since the last one. */
static void
checkpointed(struct meter *m, int log, int done)
{
	m->ckpts++;
	if (done < log || m->npg == m->ckpt_from)
		return;
	m->ckpt_pages += (long long)(m->npg - m->ckpt_from);
	m->ckpt_from = m->npg;
}

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int nframe)
{
	struct meter *m = arg;
	unsigned char h[FRAME_HDR];
	int from = nframe >= m->last ? m->last : 0, i, log = 0, done = 0;

	if (m->page == 0 && pread(m->fd, h, 12, 0) == 12)
		m->page = (int)be32(h + 8);
	for (i = from; i < nframe && m->page > 0; i++) {
		if (pread(m->fd, h, FRAME_HDR, WAL_HDR + (off_t)i * (FRAME_HDR + m->page)) !=
		    FRAME_HDR)
			break;
		m->pg = grow(m->pg, &m->cap, m->npg + 1, sizeof *m->pg);
		m->pg[m->npg++] = be32(h);
	}
	m->commit_end = grow(m->commit_end, &m->ccap, m->ncommit + 1, sizeof *m->commit_end);
	m->commit_end[m->ncommit++] = m->npg;
	m->frames += nframe - from;
	if ((long long)nframe * (FRAME_HDR + m->page) + WAL_HDR > m->walmax)
		m->walmax = (long long)nframe * (FRAME_HDR + m->page) + WAL_HDR;
	m->commits++;
	m->last = nframe;
	if (m->autockpt > 0 && nframe >= m->autockpt) {
		if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) !=
		    SQLITE_OK)
			done = -1;
		checkpointed(m, log, done);
	}
	return SQLITE_OK;
}

/* hubstore_checkpoint, as serve calls it, with what it copies counted (a PASSIVE one first,
 * as it does). */
static int
checkpoint(struct hub_store *s, struct meter *m, struct err *e)
{
	sqlite3 *db = hubstore_sqlite_db(s);
	int log = 0, done = 0;

	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) !=
	    SQLITE_OK)
		done = -1;
	checkpointed(m, log, done);
	return hubstore_checkpoint(s, e);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Which b-tree each page written belongs to (dbstat), and per b-tree: frames written,
 * distinct pages per commit, depth. */
static void
map_pages(sqlite3 *db, struct meter *m, double records)
{
	sqlite3_stmt *names, *pages;
	uint32_t *sorted;
	size_t i, c, npg = m->npg;

	if ((sorted = malloc((npg + 1) * sizeof *sorted)) == NULL)
		return;
	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE rootpage > 0"
	    " ORDER BY name", -1, &names, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT pageno, length(path) - length(replace(path, '/', ''))"
	    " FROM dbstat WHERE name = ?1", -1, &pages, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-ingest-pages: dbstat: %s\n", sqlite3_errmsg(db));
		free(sorted);
		return;
	}
	/* owner[k]: 1 + the index of the b-tree of page pg[k], by a sorted copy */
	memcpy(sorted, m->pg, npg * sizeof *sorted);
	qsort(sorted, npg, sizeof *sorted, cmp_u32);
	printf("| b-tree | depth | frames/record | distinct pages/commit | pages in tree |\n");
	printf("|---|---:|---:|---:|---:|\n");
	while (sqlite3_step(names) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(names, 0);
		unsigned char *mine;
		long long frames = 0, distinct = 0, tree = 0;
		int depth = 0;

		if ((mine = calloc(npg + 1, 1)) == NULL)
			break;
		sqlite3_bind_text(pages, 1, name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(pages) == SQLITE_ROW) {
			uint32_t p = (uint32_t)sqlite3_column_int64(pages, 0);
			uint32_t *hit = bsearch(&p, sorted, npg, sizeof *sorted, cmp_u32);
			int d = sqlite3_column_int(pages, 1);

			tree++;
			if (d > depth)
				depth = d;
			if (hit != NULL)
				mine[hit - sorted] = 1;
		}
		sqlite3_reset(pages);
		/* frames of this b-tree, and distinct pages per commit */
		for (c = 0, i = 0; c < m->ncommit; c++) {
			size_t end = m->commit_end[c], a, b;
			for (a = i; a < end; a++) {
				uint32_t *hit = bsearch(&m->pg[a], sorted, npg, sizeof *sorted, cmp_u32);
				int dup = 0;

				if (hit == NULL || !mine[hit - sorted])
					continue;
				frames++;
				for (b = i; b < a && !dup; b++)
					dup = m->pg[b] == m->pg[a];
				distinct += !dup;
			}
			i = end;
		}
		free(mine);
		if (frames > 0)
			printf("| %s | %d | %.3f | %.2f | %lld |\n", name, depth,
			    (double)frames / records,
			    m->ncommit ? (double)distinct / (double)m->ncommit : 0.0, tree);
	}
	sqlite3_finalize(names);
	sqlite3_finalize(pages);
	free(sorted);
}

int
main(int argc, char **argv)
{
	struct hubstore_params p = { 0 };
	struct hub_store *s;
	struct bench_station *bs;
	struct hub_station *st;
	struct hub_batch b[HUB_GROUP_MAX];
	struct meter m = { .fd = -1, .autockpt = 1000 };
	struct err e = { 0 };
	const char *sql = NULL;
	char pass[256], path[4200];
	long cache = 0;
	int group = 1, map = 0, a = 1, hi, every = 64;
	int64_t per, nst = 200, i, now, left, total = 0, batches = 0;
	int64_t *at;
	sqlite3 *db;
	sqlite3_int64 miss0 = 0, hit0 = 0;
	int miss = 0, hit = 0;
	double c0, c1;
	FILE *f;

	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--map") == 0)
			map = 1;
		else if (a + 1 < argc && strcmp(argv[a], "--cache") == 0)
			cache = atol(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "--autocheckpoint") == 0)
			m.autockpt = atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "--every") == 0)
			every = atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "--group") == 0)
			group = atoi(argv[++a]);
		else if (a + 1 < argc && strcmp(argv[a], "--sql") == 0)
			sql = argv[++a];
		else
			break;
	}
	if (argc - a < 3 || group < 1 || group > HUB_GROUP_MAX) {
		fprintf(stderr, "usage: bench-ingest-pages [--cache MIB] [--autocheckpoint N] "
		    "[--every N] [--group N] [--sql SQL] [--map] STORE PASSFILE PER [STATIONS]\n");
		return 1;
	}
	per = atoll(argv[a + 2]);
	if (argc - a > 3)
		nst = atoll(argv[a + 3]);
	if ((f = fopen(argv[a + 1], "r")) == NULL || fgets(pass, sizeof pass, f) == NULL)
		return 1;
	fclose(f);
	if (sodium_init() < 0)
		return 1;
	p.address = argv[a];
	p.secret = pass;
	p.secret_len = strcspn(pass, "\n");
	if (hubstore_open(&p, &s, &e) != E_OK) {
		fprintf(stderr, "bench-ingest-pages: %s\n", e.msg);
		return 1;
	}
	db = hubstore_sqlite_db(s);
	if (sql != NULL && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-ingest-pages: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	if (cache > 0) {
		char pr[64];
		snprintf(pr, sizeof pr, "PRAGMA cache_size = -%ld", cache * 1024);
		sqlite3_exec(db, pr, NULL, NULL, NULL);
	}
	snprintf(path, sizeof path, "%s-wal", argv[a]);
	st = calloc((size_t)nst, sizeof *st);
	bs = calloc((size_t)nst, sizeof *bs);
	at = calloc((size_t)nst, sizeof *at);
	if (st == NULL || bs == NULL || at == NULL)
		return 1;
	now = (int64_t)time(NULL) * 1000;
	for (i = 0; i < nst; i++) {
		char name[32];
		int64_t j;

		snprintf(name, sizeof name, "bench-%lld", (long long)i + 1);
		if (hubstore_station_by_name(s, name, &st[i], &e) != E_OK) {
			fprintf(stderr, "bench-ingest-pages: %s: %s\n", name, e.msg);
			return 1;
		}
		bs[i].first = (int64_t)st[i].max_seq;
		bs[i].n = per;
		if ((bs[i].r = calloc((size_t)per, sizeof *bs[i].r)) == NULL ||
		    (bs[i].bodies = malloc((size_t)per * BODY)) == NULL)
			return 1;
		for (j = 0; j < per; j++) {
			char *body = bs[i].bodies + j * BODY;
			const char *kind = bench_body_mix(bs[i].first + j + 1, body, BODY);

			bs[i].r[j].seq = (uint64_t)(bs[i].first + j + 1);
			snprintf(bs[i].r[j].kind, sizeof bs[i].r[j].kind, "%s", kind);
			bs[i].r[j].created_ms = now - (per - j) * 20000;
			bs[i].r[j].body = body;
			bs[i].r[j].body_len = strlen(body);
		}
	}
	/* start from an empty WAL, as a fresh serve after a checkpoint does */
	if (hubstore_checkpoint(s, &e) != E_OK) {
		fprintf(stderr, "bench-ingest-pages: %s\n", e.msg);
		return 1;
	}
	sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL, NULL);
	m.fd = open(path, O_RDONLY | O_CREAT, 0600);
	sqlite3_wal_hook(db, wal_hook, &m);
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, &miss, &hi, 0);
	miss0 = miss;
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_HIT, &hit, &hi, 0);
	hit0 = hit;
	c0 = cpu_s();
	for (left = nst * per, i = 0; left > 0;) {
		int n = 0, k, tried;

		/* the next group: the next stations in turn that have records left */
		for (tried = 0; n < group && tried < nst; tried++, i = (i + 1) % nst) {
			struct bench_station *x = &bs[i];
			size_t bytes = 0, cnt = 0;

			while (at[i] + (int64_t)cnt < per && (cnt == 0 ||
			    bytes + x->r[at[i] + cnt].body_len <= BATCH_BYTES))
				bytes += x->r[at[i] + cnt++].body_len;
			if (cnt == 0)
				continue;
			memset(&b[n], 0, sizeof b[n]);
			b[n].st = &st[i];
			b[n].r = x->r + at[i];
			b[n].n = cnt;
			at[i] += (int64_t)cnt;
			left -= (int64_t)cnt;
			n++;
		}
		if (group == 1) {
			if (hubstore_ingest(s, b[0].st, b[0].r, b[0].n, now, &b[0].res, &e) != E_OK) {
				fprintf(stderr, "bench-ingest-pages: %s\n", e.msg);
				return 1;
			}
		} else if (hubstore_ingest_group(s, b, (size_t)n, now, &e) != E_OK) {
			fprintf(stderr, "bench-ingest-pages: %s\n", e.msg);
			return 1;
		}
		for (k = 0; k < n; k++) {
			if (group > 1 && b[k].rc != E_OK) {
				fprintf(stderr, "bench-ingest-pages: %s\n", b[k].e.msg);
				return 1;
			}
			total += (int64_t)b[k].res.inserted;
			free(b[k].res.conflicts);
			if (++batches % (every > 0 ? every : 1) == 0 && every > 0 &&
			    checkpoint(s, &m, &e) != E_OK) {
				fprintf(stderr, "bench-ingest-pages: %s\n", e.msg);
				return 1;
			}
		}
	}
	c1 = cpu_s();
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, &miss, &hi, 0);
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_HIT, &hit, &hi, 0);
	if (total == 0)
		total = 1;
	printf("RESULT records %lld\nRESULT batches %lld\nRESULT commits %lld\n",
	    (long long)total, (long long)batches, m.commits);
	printf("RESULT cpu_us_per_record %.2f\n", (c1 - c0) * 1e6 / (double)total);
	printf("RESULT frames_per_record %.3f\nRESULT frames_per_commit %.1f\n",
	    (double)m.frames / (double)total, m.commits ? (double)m.frames / (double)m.commits : 0);
	printf("RESULT ckpt_frames_per_record %.3f\nRESULT checkpoints %lld\n",
	    (double)m.ckpt_pages / (double)total, m.ckpts);
	printf("RESULT wal_max_mb %.1f\n", (double)m.walmax / 1048576.0);
	printf("RESULT misses_per_record %.3f\nRESULT hits_per_record %.1f\n",
	    (double)(miss - miss0) / (double)total, (double)(hit - hit0) / (double)total);
	fflush(stdout);
	if (map)
		map_pages(db, &m, (double)total);
	close(m.fd);
	hubstore_close(s);
	for (i = 0; i < nst; i++) {
		free(bs[i].r);
		free(bs[i].bodies);
	}
	free(bs);
	free(st);
	free(at);
	free(m.pg);
	free(m.commit_end);
	return 0;
}
