/* hub-verify.c — for the shell tests: opens a hub store (a path or postgresql://…) with
 * the passphrase on the first line of a file and recounts every aggregate from the records
 * held (hubstore_verify). Prints "aggregates agree" and exits 0, or the first difference
 * and exits with its error code.
 * Usage: hub-verify STORE PASSPHRASE-FILE */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "hub/store.h"

int
main(int argc, char **argv)
{
	struct hubstore_params p = { 0 };
	struct hub_store *s = NULL;
	struct err e = { 0 };
	char secret[1024];
	FILE *f;
	int rc;

	if (argc != 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: hub-verify STORE PASSPHRASE-FILE\n");
		return 1;
	}
	if ((f = fopen(argv[2], "r")) == NULL || fgets(secret, sizeof secret, f) == NULL) {
		fprintf(stderr, "hub-verify: cannot read %s\n", argv[2]);
		return 1;
	}
	fclose(f);
	secret[strcspn(secret, "\n")] = '\0';
	p.address = argv[1];
	p.secret = secret;
	p.secret_len = strlen(secret);
	if ((rc = hubstore_open(&p, &s, &e)) == E_OK)
		rc = hubstore_verify(s, &e);
	hubstore_close(s);
	sodium_memzero(secret, sizeof secret);
	if (rc != E_OK) {
		fprintf(stderr, "hub-verify: %s\n", e.msg);
		return rc;
	}
	printf("aggregates agree\n");
	return 0;
}
