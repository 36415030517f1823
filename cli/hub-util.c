/* hub-util.c — opening the hub store, shared by the outpost-hub commands (its path and
 * secret come through cli/util.c like the logbook's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/hub.h"

void
hub_cli_args(struct hub_cli *h, const struct cli_args *a)
{
	h->store = a->o.db;
	h->passphrase_file = a->o.passphrase_file;
}

const char *
hub_cli_path(const struct hub_cli *h)
{
	struct cli_opts o = { 0 };

	o.db = h->store;
	return cli_db_path(&o);	/* the program's data_path: outpost-hub/hub.db */
}

int
hub_cli_open(struct hub_cli *h, struct err *e)
{
	struct hubstore_params p = { 0 };
	const char *path = hub_cli_path(h);
	char *secret = NULL;
	size_t len;
	int rc;

	h->s = NULL;
	if ((rc = hubstore_probe(path, e)) != E_OK)
		return rc;
	if ((rc = cli_read_secret(h->passphrase_file, _("Hub store passphrase: "), &secret, &len,
	    e)) != E_OK)
		return rc;
	p.address = path;
	p.secret = secret;
	p.secret_len = len;
	rc = hubstore_open(&p, &h->s, e);
	for (size_t i = 0; rc == E_OK && i < h->nmore; i++)
		rc = hubstore_open(&p, &h->more[i], e);
	cli_secret_free(secret);
	if (rc != E_OK)
		hub_cli_close(h);
	return rc;
}

void
hub_cli_close(struct hub_cli *h)
{
	hubstore_close(h->s);
	h->s = NULL;
	for (size_t i = 0; i < h->nmore; i++) {
		hubstore_close(h->more[i]);
		h->more[i] = NULL;
	}
}

void
hub_cli_time(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms == 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(buf, n, "-");
		return;
	}
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}
