/* sync-lbadd.c — a test tool for the sync tests: adds records to an encrypted logbook
 * through storage's rec_add, as an operator would.
 *   sync-lbadd DB SECRETFILE KIND N [FIELD=VALUE ...]
 * Adds N records of KIND with the fields given (a temp check gets a random plausible value
 * when none is given), signing in an operator first if nobody is. Prints "alert: …" for a
 * watchlist match. Exit codes are outpost's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/vault.h"
#include "storage/logbook.h"
#include "storage/fields.h"
#include "storage/record.h"

int
main(int argc, char **argv)
{
	struct vault *v;
	struct logbook *lb;
	struct record r;
	struct rec_notice notice;
	const struct rec_field *f;
	struct err e = { 0 };
	sqlite3 *db;
	char secret[1024], *eq, buf[64];
	FILE *fp;
	int kind, n, i, k, alerts = 0;

	if (argc < 5 || sodium_init() < 0) {
		fprintf(stderr, "usage: sync-lbadd DB SECRETFILE KIND N [FIELD=VALUE ...]\n");
		return 1;
	}
	if ((fp = fopen(argv[2], "r")) == NULL || fgets(secret, sizeof secret, fp) == NULL)
		return 1;
	fclose(fp);
	secret[strcspn(secret, "\r\n")] = '\0';
	if ((kind = rec_kind_parse(argv[3])) < 0 || (n = atoi(argv[4])) < 0)
		return 1;
	if (vault_unlock(argv[1], secret, strlen(secret), VAULT_PASSPHRASE, &v, &e) != E_OK ||
	    vault_open_db(v, &db, &e) != E_OK || logbook_open(db, &lb, &e) != E_OK) {
		fprintf(stderr, "sync-lbadd: %s\n", e.msg);
		return e.code ? e.code : 1;
	}
	if (logbook_operator(lb)[0] == '\0' && logbook_signin(lb, "op", NULL, &e) != E_OK) {
		fprintf(stderr, "sync-lbadd: %s\n", e.msg);
		return e.code;
	}
	for (i = 0; i < n; i++) {
		rec_init(&r, kind);
		if (kind == REC_TEMP) {
			snprintf(buf, sizeof buf, "%d.%d", 36 + (int)randombytes_uniform(2),
			    (int)randombytes_uniform(10));
			rec_field_set(&r, rec_field_find(kind, "value"), buf, &e);
			rec_field_set(&r, rec_field_find(kind, "method"), "forehead", &e);
		}
		if (kind == REC_VISITOR || kind == REC_RESIDENT) /* measured at the gate */
			rec_field_set(&r, rec_field_find(kind, "temp"), "36.6", &e);
		for (k = 5; k < argc; k++) {
			if ((eq = strchr(argv[k], '=')) == NULL)
				return 1;
			*eq = '\0';
			f = rec_field_find(kind, argv[k]);
			if (f == NULL || rec_field_set(&r, f, eq + 1, &e) != E_OK) {
				fprintf(stderr, "sync-lbadd: field %s: %s\n", argv[k], e.msg);
				return E_INVALID;
			}
			*eq = '=';
		}
		if (rec_add(lb, &r, &notice, &e) != E_OK) {
			fprintf(stderr, "sync-lbadd: %s\n", e.msg);
			return e.code;
		}
		if (notice.alert) {
			printf("alert: %s\n", r.alert);
			alerts++;
		}
	}
	logbook_close(lb);
	sqlite3_close(db);
	vault_close(v);
	return 0;
}
