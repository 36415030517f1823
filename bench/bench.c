/* bench.c — the storage benchmark of issue 2: one visitor-like workload run on one engine
 * per process, printing "RESULT engine metric value" lines that bench/run.sh sets side by
 * side. Built twice, because libsqlcipher and libsqlite3 export the same symbols:
 * bench-plain (system libsqlite3 + outpost's libraries: engines "sqlite" and "outpost")
 * and bench-sqlcipher (-DBENCH_SQLCIPHER, libsqlcipher: engine "sqlcipher").
 *
 * Usage: bench-plain sqlite|outpost DIR, bench-sqlcipher sqlcipher DIR. Knobs from the
 * environment: BENCH_ROWS (1000000), BENCH_DURABLE (20000 single-row commits),
 * BENCH_LOOKUPS (20000), BENCH_PREFIX (5000), BENCH_OPENS (50), BENCH_BATCH (10000 rows
 * per bulk-load transaction), BENCH_CACHE_KB (2000, SQLite's default page cache). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#ifndef BENCH_SQLCIPHER
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>
#include "crypto/page.h"
#include "crypto/vault.h"
#include "crypto/vfs.h"
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the engines ---- */

struct engine {
	const char *name;
	/* Makes a new file at path and opens it, set up like every other connection. */
	void (*create)(const char *path, sqlite3 **db);
	/* Opens (and unlocks) an existing file. */
	void (*open)(const char *path, sqlite3 **db);
	void (*close)(sqlite3 *db);
	int encrypted;	/* the file must not hold "SQLite format 3" */
};

static long cache_kb = 2000;

static void
die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
	exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

/* The same connection settings on every engine (outpost's vault_open_db sets most of
 * these itself; setting them again changes nothing). The first read happens here, so
 * "open" includes reading and authenticating the schema. */
static void
setup(sqlite3 *db)
{
	char sql[256];

	snprintf(sql, sizeof sql, "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0; "
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-%ld; "
	    "SELECT count(*) FROM sqlite_master;", cache_kb);
	exec(db, sql);
}

static void
plain_close(sqlite3 *db)
{
	if (sqlite3_close(db) != SQLITE_OK)
		die("close", db);
}

#ifdef BENCH_SQLCIPHER
/* A raw 256-bit key in SQLCipher's x'…' form: no PBKDF2, so the KDF is excluded. The
 * page size is SQLite's 4096 (SQLCipher 3 defaults to 1024). */
static const char cipher_key[] = "PRAGMA key = \"x'2DD29CA851E7B56E4697B0E1F08507293D761A05"
    "CE4D1B628663F411A8086D99'\"; PRAGMA cipher_page_size = 4096;";

static void
cipher_open(const char *path, sqlite3 **db)
{
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		die("open", *db);
	exec(*db, cipher_key);
	setup(*db);
}

static const struct engine engines[] = {
	{ "sqlcipher", cipher_open, cipher_open, plain_close, 1 },
};
#else
static void
plain_open(const char *path, sqlite3 **db)
{
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		die("open", *db);
	setup(*db);
}

static const char outpost_pass[] = "bench passphrase";
static struct vault *outpost_vault;

static void
outpost_create(const char *path, sqlite3 **db)
{
	struct err e;
	char *recovery = sodium_malloc(VAULT_RECOVERY_LEN);

	err_clear(&e);
	if (recovery == NULL ||
	    vault_create(path, outpost_pass, strlen(outpost_pass), VAULT_KDF_TEST_CHEAP,
	    recovery, &outpost_vault, &e) != E_OK ||
	    vault_open_db(outpost_vault, db, &e) != E_OK) {
		fprintf(stderr, "bench: outpost create: %s\n", e.msg);
		exit(1);
	}
	sodium_free(recovery);
	setup(*db);
}

static void
outpost_open(const char *path, sqlite3 **db)
{
	struct err e;

	err_clear(&e);
	if (vault_unlock(path, outpost_pass, strlen(outpost_pass), VAULT_PASSPHRASE,
	    &outpost_vault, &e) != E_OK || vault_open_db(outpost_vault, db, &e) != E_OK) {
		fprintf(stderr, "bench: outpost open: %s\n", e.msg);
		exit(1);
	}
	setup(*db);
}

static void
outpost_close(sqlite3 *db)
{
	plain_close(db);
	vault_close(outpost_vault);
	outpost_vault = NULL;
}

static const struct engine engines[] = {
	{ "sqlite", plain_open, plain_open, plain_close, 0 },
	{ "outpost", outpost_create, outpost_open, outpost_close, 1 },
};
#endif

/* ---- the records: row i is a pure function of i, so lookups can name existing rows ---- */

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static const char *const regions[] = { "110101", "120103", "130102", "140105", "210102",
	"310104", "320106", "330106", "340104", "350102", "360103", "370102", "410105",
	"420106", "430103", "440305", "450103", "500103", "510104", "610113" };
static const char *const provinces[] = { "京", "津", "沪", "渝", "冀", "豫", "云", "辽",
	"黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
	"吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼" };
static const char serial[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵",
	"吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军",
	"洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英",
	"华", "文", "建", "国", "红", "玉", "兰" };
static const char *const places[] = { "湖北省武汉市", "广东省深圳市", "浙江省杭州市",
	"河南省郑州市", "四川省成都市", "江苏省南京市", "北京市朝阳区", "上海市浦东新区",
	"湖南省长沙市", "山东省济南市", "陕西省西安市", "重庆市渝中区" };
static const char *const reasons[] = { "探亲", "务工", "返乡", "就医", "送货", "公务",
	"访友", "上学" };
static const char *const health[] = { "绿码", "绿码", "绿码", "绿码", "黄码", "红码" };

struct rec {
	char id_number[19];
	char plate[16];
	char name[16];
	char phone[16];
	int64_t t;
	const char *origin, *dest, *reason;
	char host[48];
	char operator[16];
	const char *health;
	int occupants, temp;
};

/* GB 11643's check character, so the ID numbers look like real ones. */
static char
check_char(const char *d)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, s = 0;

	for (i = 0; i < 17; i++)
		s += (d[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

#define T0 1767225600000LL	/* 2026-01-01 UTC, ms */

static void
rec_make(uint64_t i, struct rec *r)
{
	uint64_t a = mix(i), b = mix(a), c = mix(b);
	char tmp[64];

	snprintf(tmp, sizeof tmp, "%s%04d%02d%02d%03d", regions[a % NELEM(regions)],
	    (int)(1940 + (a >> 8) % 70), (int)(1 + (a >> 16) % 12), (int)(1 + (a >> 24) % 28),
	    (int)((a >> 32) % 1000));
	memcpy(r->id_number, tmp, 17);
	r->id_number[17] = check_char(r->id_number);
	r->id_number[18] = '\0';
	snprintf(r->plate, sizeof r->plate, "%s%c%c%c%c%c%c", provinces[b % NELEM(provinces)],
	    'A' + (int)((b >> 8) % 12), serial[(b >> 12) % 34], serial[(b >> 18) % 34],
	    serial[(b >> 24) % 10], serial[(b >> 30) % 10], serial[(b >> 36) % 10]);
	snprintf(r->name, sizeof r->name, "%s%s%s", surnames[c % NELEM(surnames)],
	    given[(c >> 8) % NELEM(given)], (c >> 16) % 3 ? given[(c >> 20) % NELEM(given)] : "");
	snprintf(r->phone, sizeof r->phone, "1%d%09d", 3 + (int)((c >> 28) % 7),
	    (int)((c >> 32) % 1000000000));
	r->t = T0 + (int64_t)i * 2500 + (int64_t)(a % 1000);
	r->origin = places[(b >> 42) % NELEM(places)];
	r->dest = places[(b >> 46) % NELEM(places)];
	r->reason = reasons[(c >> 50) % NELEM(reasons)];
	snprintf(r->host, sizeof r->host, "%d栋%d单元%d0%d", 1 + (int)((a >> 40) % 30),
	    1 + (int)((a >> 46) % 4), 1 + (int)((a >> 50) % 30), 1 + (int)((a >> 56) % 4));
	snprintf(r->operator, sizeof r->operator, "%s%s", surnames[(c >> 44) % NELEM(surnames)],
	    given[(c >> 54) % NELEM(given)]);
	r->health = health[(a >> 60) % NELEM(health)];
	r->occupants = 1 + (int)((b >> 56) % 5);
	r->temp = 355 + (int)((c >> 40) % 20);
}

/* The payload of a record: its text fields, an 8-byte time, a 1-byte occupant count and
 * a 2-byte temperature. */
static size_t
rec_bytes(const struct rec *r)
{
	return strlen(r->id_number) + strlen(r->plate) + strlen(r->name) + strlen(r->phone) +
	    8 + strlen(r->origin) + strlen(r->dest) + strlen(r->reason) + strlen(r->host) + strlen(r->operator) + strlen(r->health) + 1 + 2;
}

static const char schema[] =
    "CREATE TABLE visit(id INTEGER PRIMARY KEY, id_number TEXT, plate TEXT, name TEXT,"
    " phone TEXT, t INTEGER, origin TEXT, dest TEXT, reason TEXT, host TEXT, operator TEXT,"
    " health TEXT, occupants INTEGER, temp INTEGER);"
    "CREATE INDEX visit_id_number ON visit(id_number);"
    "CREATE INDEX visit_plate ON visit(plate);"
    "CREATE INDEX visit_name ON visit(name);"
    "CREATE INDEX visit_t ON visit(t);";

static const char insert_sql[] = "INSERT INTO visit(id_number, plate, name, phone, t, origin,"
    " dest, reason, host, operator, health, occupants, temp)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

static void
rec_bind(sqlite3_stmt *st, const struct rec *r)
{
	sqlite3_bind_text(st, 1, r->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->plate, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->phone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->t);
	sqlite3_bind_text(st, 6, r->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, r->operator, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, r->health, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, r->occupants);
	sqlite3_bind_int(st, 13, r->temp);
}

/* ---- timing ---- */

static const char *engine_name;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Prints the mean, median and p99 of n samples (seconds) scaled by unit (1e3 ms, 1e6 µs). */
static void
report(const char *metric, double *s, size_t n, double unit)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += s[i];
	printf("RESULT %s %s_mean %.3f\n", engine_name, metric, sum / (double)n * unit);
	qsort(s, n, sizeof *s, cmp_double);
	printf("RESULT %s %s_median %.3f\n", engine_name, metric, s[n / 2] * unit);
	printf("RESULT %s %s_p99 %.3f\n", engine_name, metric, s[n * 99 / 100] * unit);
	fflush(stdout);
}

static long
env_long(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v <= 0) {
		fprintf(stderr, "bench: %s must be a positive number\n", name);
		exit(1);
	}
	return v;
}

static double *
samples(long n)
{
	double *s = calloc((size_t)n, sizeof *s);

	if (s == NULL)
		die("out of memory", NULL);
	return s;
}

/* Pages the outpost VFS opened (authenticated and decrypted) and sealed since the last
 * call, per operation: what explains the encrypted engine's cost over plain SQLite. */
static void
page_counts(const char *phase, long ops)
{
#ifndef BENCH_SQLCIPHER
	static struct vfs_stats last;
	struct vfs_stats s;

	vfs_stats(&s);
	if (strcmp(engine_name, "outpost") == 0 && phase != NULL) {
		printf("RESULT %s %s_pages_opened_per_op %.2f\n", engine_name, phase,
		    (double)(s.opened - last.opened) / (double)ops);
		printf("RESULT %s %s_pages_sealed_per_op %.2f\n", engine_name, phase,
		    (double)(s.sealed - last.sealed) / (double)ops);
	}
	last = s;
#else
	(void)phase;
	(void)ops;
#endif
}

/* ---- the phases ---- */

/* N rows in transactions of batch rows, then a checkpoint so they are in the main file. */
static void
bulk_load(sqlite3 *db, long rows, long batch)
{
	sqlite3_stmt *st;
	struct rec r;
	double t0, t1;
	size_t bytes = 0;
	long i;

	if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK)
		die("prepare insert", db);
	page_counts(NULL, 0);
	t0 = now();
	for (i = 0; i < rows; i++) {
		if (i % batch == 0)
			exec(db, "BEGIN");
		rec_make((uint64_t)i, &r);
		bytes += rec_bytes(&r);
		rec_bind(st, &r);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", db);
		sqlite3_reset(st);
		if (i % batch == batch - 1 || i == rows - 1)
			exec(db, "COMMIT");
		if (i % 200000 == 199999)
			fprintf(stderr, "  %s: %ld rows loaded\n", engine_name, i + 1);
	}
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	t1 = now();
	page_counts("bulk", rows);
	sqlite3_finalize(st);
	printf("RESULT %s bulk_rows_per_s %.0f\n", engine_name, (double)rows / (t1 - t0));
	printf("RESULT %s record_bytes %.1f\n", engine_name, (double)bytes / (double)rows);
	fflush(stdout);
}

/* n more rows, each its own transaction (autocommit): one WAL fsync per row under
 * synchronous=FULL. */
static void
durable_inserts(sqlite3 *db, long rows, long n)
{
	sqlite3_stmt *st;
	struct rec r;
	double *s = samples(n), t0;
	long i;

	if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK)
		die("prepare insert", db);
	page_counts(NULL, 0);
	for (i = 0; i < n; i++) {
		rec_make((uint64_t)(rows + i), &r);
		rec_bind(st, &r);
		t0 = now();
		if (sqlite3_step(st) != SQLITE_DONE)
			die("durable insert", db);
		s[i] = now() - t0;
		sqlite3_reset(st);
	}
	page_counts("durable", n);
	sqlite3_finalize(st);
	report("durable_insert_ms", s, (size_t)n, 1e3);
	free(s);
}

/* n lookups of existing ID numbers in random order, each reading the matching rows. */
static void
lookups(sqlite3 *db, long rows, long n)
{
	sqlite3_stmt *st;
	struct rec r;
	double *s = samples(n), t0;
	long i, found = 0;

	if (sqlite3_prepare_v2(db, "SELECT id, name, phone, plate, t FROM visit"
	    " WHERE id_number = ?1", -1, &st, NULL) != SQLITE_OK)
		die("prepare lookup", db);
	page_counts(NULL, 0);
	for (i = 0; i < n; i++) {
		rec_make(mix((uint64_t)i ^ 0x5eedull) % (uint64_t)rows, &r);
		t0 = now();
		sqlite3_bind_text(st, 1, r.id_number, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			found++;
		sqlite3_reset(st);
		s[i] = now() - t0;
	}
	page_counts("lookup", n);
	sqlite3_finalize(st);
	if (found < n)
		die("the lookups found fewer rows than they looked for", NULL);
	report("lookup_id_us", s, (size_t)n, 1e6);
	free(s);
}

/* n prefix searches on the plate index, as a volunteer types: the province, the letter
 * and 1–3 more characters; the first 50 rows in plate order. */
static void
prefix_search(sqlite3 *db, long rows, long n)
{
	sqlite3_stmt *st;
	struct rec r;
	double *s = samples(n), t0;
	char lo[16], hi[16];
	long i, found = 0;
	size_t len;

	if (sqlite3_prepare_v2(db, "SELECT id, plate, name, t FROM visit"
	    " WHERE plate >= ?1 AND plate < ?2 ORDER BY plate LIMIT 50", -1, &st, NULL) !=
	    SQLITE_OK)
		die("prepare prefix", db);
	page_counts(NULL, 0);
	for (i = 0; i < n; i++) {
		rec_make(mix((uint64_t)i ^ 0x91a7eull) % (uint64_t)rows, &r);
		len = 3 + 1 + 1 + (size_t)(i % 3);	/* a province character is 3 bytes */
		memcpy(lo, r.plate, len);
		lo[len] = '\0';
		memcpy(hi, lo, len + 1);
		hi[len - 1]++;				/* an ASCII letter or digit */
		t0 = now();
		sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			found++;
		sqlite3_reset(st);
		s[i] = now() - t0;
	}
	page_counts("prefix", n);
	sqlite3_finalize(st);
	if (found < n)
		die("the prefix searches found fewer rows than they looked for", NULL);
	report("prefix_plate_us", s, (size_t)n, 1e6);
	printf("RESULT %s prefix_rows_avg %.1f\n", engine_name, (double)found / (double)n);
	free(s);
}

#ifndef BENCH_SQLCIPHER
/* The test-cheap Argon2id (opslimit 1, 8 KiB) that vault_unlock runs, timed alone so the
 * open figure can leave it out. */
static double
cheap_kdf_median(void)
{
	unsigned char key[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
	double s[51], t0;
	int i;

	for (i = 0; i < 51; i++) {
		t0 = now();
		if (crypto_pwhash(key, sizeof key, outpost_pass, strlen(outpost_pass), salt, 1,
		    8192, crypto_pwhash_ALG_ARGON2ID13) != 0)
			die("crypto_pwhash", NULL);
		s[i] = now() - t0;
	}
	qsort(s, 51, sizeof s[0], cmp_double);
	return s[25];
}
#endif

#ifndef BENCH_SQLCIPHER
/* The cost of the cipher alone on one 4 KiB page (median of 21 batches of 2000, the
 * candidates interleaved batch by batch so that a busy machine slows them alike): the VFS's
 * own page_seal and page_open (OpenSSL's ChaCha20-Poly1305 under the HChaCha20 subkey),
 * page_open with a new nonce prefix on every page (a reader's worst case: a subkey each
 * time), libsodium's XChaCha20-Poly1305 (the implementation before, the same bytes), and
 * AES-256-GCM through OpenSSL's EVP and through libsodium (where the CPU has AES-NI), for
 * the second-cipher question of issue 13. With the pages opened and sealed per operation,
 * it tells how much of the encrypted engine's time no I/O work can remove. */
enum { C_SEAL, C_OPEN, C_OPEN_NEWKEY, C_SODIUM_SEAL, C_SODIUM_OPEN, C_EVP_GCM_SEAL,
	C_EVP_GCM_OPEN, C_SODIUM_GCM_SEAL, C_N };
static const char *const cipher_metric[C_N] = {
	"page_seal_us", "page_open_us", "page_open_newprefix_us", "sodium_xchacha_seal_us",
	"sodium_xchacha_open_us", "evp_aes256gcm_seal_us", "evp_aes256gcm_open_us",
	"aes256gcm_seal_us",
};

static int
evp_gcm(EVP_CIPHER_CTX *ctx, int enc, const uint8_t *iv, const uint8_t *ad, const uint8_t *in,
    uint8_t *out, int len, uint8_t *tag)
{
	int n;

	if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &n, ad, 24) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in, len) != 1)
		return -1;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag) != 1)
		return -1;
	if (EVP_CipherFinal_ex(ctx, out + len, &n) != 1)
		return -1;
	return enc ? EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) - 1 : 0;
}

static void
cipher_costs(void)
{
	static uint8_t page[PAGE_SIZE], sealed[PAGE_SIZE], out[PAGE_SIZE], gsealed[PAGE_SIZE];
	static uint8_t ssealed[PAGE_SIZE];
	uint8_t key[32], id[FILE_ID_LEN], tag[16], gtag[16], stag[16], nonce[24] = { 0 }, ad[24] = { 0 };
	uint8_t *secret = sodium_malloc(PAGE_CIPHER_SECRET);
	const size_t body = PAGE_SIZE - PAGE_RESERVE;
	struct page_cipher pc;
	EVP_CIPHER_CTX *ge = EVP_CIPHER_CTX_new(), *gd = EVP_CIPHER_CTX_new();
	double s[C_N][21], t0;
	int b, c, i, aes = crypto_aead_aes256gcm_is_available();

	randombytes_buf(key, sizeof key);
	randombytes_buf(id, sizeof id);
	randombytes_buf(page, body);
	memset(page + body, 0, PAGE_RESERVE);
	if (secret == NULL || ge == NULL || gd == NULL || page_cipher_init(&pc, secret, key) != 0 ||
	    EVP_EncryptInit_ex(ge, EVP_aes_256_gcm(), NULL, key, NULL) != 1 ||
	    EVP_DecryptInit_ex(gd, EVP_aes_256_gcm(), NULL, key, NULL) != 1)
		die("cannot set up the ciphers", NULL);
	if (page_seal(&pc, id, 7, page, sealed, PAGE_SIZE) != 0 ||
	    evp_gcm(ge, 1, nonce, ad, page, gsealed, (int)body, gtag) != 0)
		die("a cipher failed", NULL);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(ssealed, stag, NULL, page, body, ad,
	    sizeof ad, NULL, nonce, key);
	memset(s, 0, sizeof s);
	for (b = 0; b < 21; b++) {
		for (c = 0; c < C_N; c++) {
			if ((c == C_SODIUM_GCM_SEAL) && !aes)
				continue;
			t0 = now();
			for (i = 0; i < 2000; i++) {
				switch (c) {
				case C_SEAL:
					if (page_seal(&pc, id, 7, page, out, PAGE_SIZE) != 0)
						die("page_seal failed", NULL);
					break;
				case C_OPEN:
					if (page_open(&pc, id, 7, sealed, out, PAGE_SIZE) != 0)
						die("page_open failed on a page it sealed", NULL);
					break;
				case C_OPEN_NEWKEY:
					/* The prefix differs from the cached one every time (the
					 * page then fails, after the same work as a success). */
					sealed[body] ^= 1;
					(void)page_open(&pc, id, 7, sealed, out, PAGE_SIZE);
					break;
				case C_SODIUM_SEAL:
					crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out,
					    tag, NULL, page, body, ad, sizeof ad, NULL, nonce, key);
					break;
				case C_SODIUM_OPEN:
					if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out,
					    NULL, ssealed, body, stag, ad, sizeof ad, nonce,
					    key) != 0)
						die("libsodium failed to open", NULL);
					break;
				case C_EVP_GCM_SEAL:
					if (evp_gcm(ge, 1, nonce, ad, page, out, (int)body, tag) != 0)
						die("AES-256-GCM failed", NULL);
					break;
				case C_EVP_GCM_OPEN:
					if (evp_gcm(gd, 0, nonce, ad, gsealed, out, (int)body,
					    gtag) != 0)
						die("AES-256-GCM failed to open", NULL);
					break;
				case C_SODIUM_GCM_SEAL:
					crypto_aead_aes256gcm_encrypt_detached(out, tag, NULL, page,
					    body, ad, sizeof ad, NULL, nonce, key);
					break;
				}
			}
			s[c][b] = (now() - t0) / 2000;
		}
	}
	for (c = 0; c < C_N; c++) {
		if ((c == C_SODIUM_GCM_SEAL) && !aes)
			continue;
		qsort(s[c], 21, sizeof s[c][0], cmp_double);
		printf("RESULT outpost %s %.3f\n", cipher_metric[c], s[c][10] * 1e6);
	}
	printf("RESULT outpost sodium_version %s\n", sodium_version_string());
	printf("RESULT outpost openssl_version %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
	page_cipher_free(&pc);
	sodium_free(secret);
	EVP_CIPHER_CTX_free(ge);
	EVP_CIPHER_CTX_free(gd);
}
#endif

/* n times: open (and unlock), read the schema, close. */
static void
opens(const struct engine *en, const char *path, long n)
{
	double *s = samples(n), t0, kdf = 0;
	sqlite3 *db;
	long i;

#ifndef BENCH_SQLCIPHER
	if (en->encrypted)
		kdf = cheap_kdf_median();
#endif
	for (i = 0; i < n; i++) {
		t0 = now();
		en->open(path, &db);
		en->close(db);
		s[i] = now() - t0 - kdf;
	}
	report("open_ms", s, (size_t)n, 1e3);
	if (kdf > 0)
		printf("RESULT %s open_kdf_excluded_ms %.3f\n", en->name, kdf * 1e3);
	free(s);
}

/* Refuses to report figures for a file that is not what the engine claims: an encrypted
 * engine's file must not hold SQLite's magic in its first pages, a plain one must. */
static void
check_file(const struct engine *en, const char *path, long rows)
{
	static const char magic[16] = "SQLite format 3";
	char head[3 * 4096];
	struct stat sb;
	FILE *f;
	size_t n;
	int plain;

	if ((f = fopen(path, "rb")) == NULL || stat(path, &sb) != 0)
		die("cannot read the database file", NULL);
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	plain = memmem(head, n, magic, sizeof magic) != NULL;
	if (plain == en->encrypted) {
		fprintf(stderr, "bench: %s: the file is %s\n", en->name,
		    plain ? "plain SQLite, not encrypted" : "not plain SQLite");
		exit(1);
	}
	printf("RESULT %s file_bytes_per_row %.1f\n", en->name, (double)sb.st_size / (double)rows);
}

static void
print_versions(const struct engine *en, sqlite3 *db)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT sqlite_version()", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		die("sqlite_version()", db);
	printf("RESULT %s sqlite_version %s\n", en->name, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
#ifdef BENCH_SQLCIPHER
	/* Proves this binary runs SQLCipher, not the system SQLite. */
	if (sqlite3_prepare_v2(db, "PRAGMA cipher_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		die("PRAGMA cipher_version returned nothing: not SQLCipher", db);
	printf("RESULT %s cipher_version %s\n", en->name, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
#endif
}

static void
check_count(sqlite3 *db, long want)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM visit", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != want)
		die("the row count after the run is wrong", db);
	sqlite3_finalize(st);
}

/* Removes a database and its -wal and -shm files. */
static void
db_remove(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[4200];
	size_t i;

	for (i = 0; i < NELEM(sfx); i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

int
main(int argc, char **argv)
{
	const struct engine *en = NULL;
	char path[4096];
	sqlite3 *db;
	long rows, durable;
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s ENGINE DIR\n", argv[0]);
		return 1;
	}
	for (i = 0; i < NELEM(engines); i++)
		if (strcmp(argv[1], engines[i].name) == 0)
			en = &engines[i];
	if (en == NULL) {
		fprintf(stderr, "bench: no engine %s in this binary\n", argv[1]);
		return 1;
	}
	engine_name = en->name;
#ifndef BENCH_SQLCIPHER
	if (sodium_init() < 0)
		die("sodium_init", NULL);
#endif
	rows = env_long("BENCH_ROWS", 1000000);
	durable = env_long("BENCH_DURABLE", 20000);
	cache_kb = env_long("BENCH_CACHE_KB", 2000);
	snprintf(path, sizeof path, "%s/%s.db", argv[2], en->name);
	db_remove(path);

	en->create(path, &db);
	print_versions(en, db);
	exec(db, schema);
	fprintf(stderr, "%s: bulk load of %ld rows\n", en->name, rows);
	bulk_load(db, rows, env_long("BENCH_BATCH", 10000));
	en->close(db);
	check_file(en, path, rows);

	fprintf(stderr, "%s: open + unlock\n", en->name);
	opens(en, path, env_long("BENCH_OPENS", 50));
#ifndef BENCH_SQLCIPHER
	if (en->encrypted)
		cipher_costs();
#endif

	en->open(path, &db);
	fprintf(stderr, "%s: lookups and prefix searches\n", en->name);
	lookups(db, rows, env_long("BENCH_LOOKUPS", 20000));
	prefix_search(db, rows, env_long("BENCH_PREFIX", 5000));
	fprintf(stderr, "%s: %ld durable inserts\n", en->name, durable);
	durable_inserts(db, rows, durable);
	check_count(db, rows + durable);
	en->close(db);
	db_remove(path);
	return 0;
}
