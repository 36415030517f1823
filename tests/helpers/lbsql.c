/* lbsql.c — a test tool: runs SQL on an encrypted logbook through the vault, so the shell
 * tests can fill, read and crash a real file.
 *   lbsql [-j wal|delete] [-r] [-c PAGES] DB SECRETFILE CMD...
 *   sql "SQL"      run it; rows are printed tab-separated
 *   wait PATH      create PATH.ready, then wait (≤ 60 s) until PATH exists
 *   count N [T]    insert rows 1..N into table T (default t) one commit each, printing
 *                  "committed I" after each commit returns
 * -r: the secret is the recovery key. Exit codes are outpost's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/vault.h"

static int
print_row(void *arg, int n, char **vals, char **names)
{
	int i;

	(void)arg;
	(void)names;
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "\t" : "", vals[i] ? vals[i] : "NULL");
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	const char *journal = NULL;
	struct vault *v;
	struct err e = { 0 };
	sqlite3 *db;
	sqlite3_stmt *st;
	char secret[1024], *msg = NULL, sql[256], path[4096];
	FILE *f;
	int c, i, n, rc, kind = VAULT_PASSPHRASE, cache = 0;
	size_t len;

	while ((c = getopt(argc, argv, "j:rc:")) != -1) {
		switch (c) {
		case 'j':
			journal = optarg;
			break;
		case 'r':
			kind = VAULT_RECOVERY;
			break;
		case 'c':
			cache = atoi(optarg);
			break;
		default:
			return 1;
		}
	}
	if (argc - optind < 2 || sodium_init() < 0)
		return 1;
	if ((f = fopen(argv[optind + 1], "r")) == NULL || fgets(secret, sizeof secret, f) == NULL)
		return 1;
	fclose(f);
	len = strcspn(secret, "\r\n");
	secret[len] = '\0';
	if ((rc = vault_unlock(argv[optind], secret, len, kind, &v, &e)) != E_OK ||
	    (rc = vault_open_db(v, &db, &e)) != E_OK) {
		fprintf(stderr, "lbsql: %s\n", e.msg);
		vault_close(v);
		return rc;
	}
	if (journal != NULL) {
		snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", journal);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	if (cache > 0) {
		snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", cache);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	for (i = optind + 2; i < argc; i++) {
		if (strcmp(argv[i], "sql") == 0 && i + 1 < argc) {
			rc = sqlite3_exec(db, argv[++i], print_row, NULL, &msg);
			if (rc != SQLITE_OK) {
				rc = vault_sqlite_err(db, sqlite3_extended_errcode(db), &e);
				fprintf(stderr, "lbsql: %s (%s)\n", e.msg, msg ? msg : "");
				sqlite3_free(msg);
				sqlite3_close(db);
				vault_close(v);
				return rc;
			}
		} else if (strcmp(argv[i], "wait") == 0 && i + 1 < argc) {
			snprintf(path, sizeof path, "%s.ready", argv[++i]);
			fclose(fopen(path, "w"));
			for (n = 0; n < 600 && access(argv[i], F_OK) != 0; n++)
				usleep(100000);
		} else if (strcmp(argv[i], "count") == 0 && i + 1 < argc) {
			n = atoi(argv[++i]);
			snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?1, ?2)",
			    i + 1 < argc && strcmp(argv[i + 1], "sql") != 0 ? argv[++i] : "t");
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
				return 5;
			for (c = 1; c <= n; c++) {
				sqlite3_bind_int(st, 1, c);
				sqlite3_bind_text(st, 2, "marker-row-text-中文", -1, SQLITE_STATIC);
				if (sqlite3_step(st) != SQLITE_DONE) {
					rc = vault_sqlite_err(db, sqlite3_extended_errcode(db), &e);
					fprintf(stderr, "lbsql: %s\n", e.msg);
					return rc;
				}
				sqlite3_reset(st);
				printf("committed %d\n", c);
				fflush(stdout);
			}
			sqlite3_finalize(st);
		} else
			return 1;
	}
	fflush(stdout);
	sqlite3_close(db);
	vault_close(v);
	return 0;
}
