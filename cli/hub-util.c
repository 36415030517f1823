/* hub-util.c — the hub store's path and unlocking, shared by the outpost-hub commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/hub.h"

int
hub_cli_opt(int c, const char *arg, struct hub_cli *h)
{
	switch (c) {
	case HOPT_STORE:
		h->store = arg;
		return 1;
	case HOPT_PASSFILE:
		h->passphrase_file = arg;
		return 1;
	}
	return 0;
}

const char *
hub_cli_path(const struct hub_cli *h)
{
	static char path[4096];
	const char *x, *home;

	if (h->store != NULL)
		return h->store;
	if ((x = getenv("XDG_DATA_HOME")) != NULL && x[0] == '/')
		snprintf(path, sizeof path, "%s/outpost-hub/hub.db", x);
	else if ((home = getenv("HOME")) != NULL)
		snprintf(path, sizeof path, "%s/.local/share/outpost-hub/hub.db", home);
	else
		snprintf(path, sizeof path, "hub.db");
	return path;
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
	cli_secret_free(secret);
	return rc;
}

void
hub_cli_close(struct hub_cli *h)
{
	hubstore_close(h->s);
	h->s = NULL;
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
