/* hub-watchlist.c — outpost-hub watchlist: ID numbers and plates every station pulls.
 * CSV header "type,value,reason,until" (as the station's own watchlist import). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/hub.h"
#include "sync/wire.h"

#define FIELDS 4

/* Splits one CSV line into at most FIELDS fields (quotes with "" escapes); -1 if bad. */
static int
csv_split(char *line, char *f[FIELDS])
{
	char *r = line, *w = line;
	int n = 0, quoted;

	for (;;) {
		if (n == FIELDS)
			return -1;
		f[n++] = w;
		quoted = *r == '"';
		if (quoted)
			r++;
		for (;;) {
			if (*r == '\0') {
				if (quoted)
					return -1;
				*w = '\0';
				return n;
			}
			if (quoted && *r == '"') {
				if (r[1] == '"') {
					*w++ = '"';
					r += 2;
					continue;
				}
				quoted = 0;
				r++;
				continue;
			}
			if (!quoted && *r == ',') {
				*w++ = '\0';
				r++;
				break;
			}
			*w++ = *r++;
		}
	}
}

/* Upper case, spaces removed: the form stations match on. */
static void
normalize(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			*w++ = (char)toupper((unsigned char)*s);
	*w = '\0';
}

static void
items_free(struct wire_item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(it[i].key);
		free(it[i].value);
		free(it[i].extra);
	}
	free(it);
}

/* Reads the whole file, then stores every entry in one transaction: a bad line stores
 * nothing. */
static int
wl_import(struct hub_store *s, const char *path, int *count, struct err *e)
{
	char line[2048], key[WIRE_TEXT_MAX], *f[FIELDS];
	struct wire_item *it = NULL, *p;
	size_t nit = 0, cap = 0;
	FILE *fp;
	int n, lineno = 0, rc = E_OK;
	size_t l;

	if ((fp = fopen(path, "r")) == NULL)
		return err_set(e, E_USAGE, _("cannot open %s: %s"), path, strerror(errno));
	*count = 0;
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		l = strlen(line);
		while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (l == 0)
			continue;
		if ((n = csv_split(line, f)) < 2) {
			rc = err_set(e, E_INVALID, _("%s line %d: expected type,value,reason,until"),
			    path, lineno);
			break;
		}
		if (lineno == 1 && strcmp(f[0], "type") == 0)
			continue;	/* the header */
		normalize(f[1]);
		if ((strcmp(f[0], "id") != 0 && strcmp(f[0], "plate") != 0) || f[1][0] == '\0' ||
		    !wire_utf8_ok(f[1], strlen(f[1]))) {
			rc = err_set(e, E_INVALID, _("%s line %d: type must be id or plate, and a "
			    "value is needed"), path, lineno);
			break;
		}
		snprintf(key, sizeof key, "%s:%s", f[0], f[1]);
		if (nit == cap) {
			cap = cap ? 2 * cap : 64;
			if ((p = realloc(it, cap * sizeof *it)) == NULL) {
				rc = err_set(e, E_IO, "%s", _("out of memory"));
				break;
			}
			it = p;
		}
		memset(&it[nit], 0, sizeof it[nit]);
		it[nit].key = key;
		it[nit].value = n > 2 ? f[2] : "";
		it[nit].extra = n > 3 ? f[3] : "";
		/* the store's own check, here so the line can be named */
		if ((rc = hubstore_item_check(WIRE_PULL_WATCHLIST, &it[nit], e)) != E_OK) {
			struct err why = *e;

			err_set(e, rc, _("%s line %d: %s"), path, lineno, why.msg);
			break;
		}
		it[nit].key = strdup(key);
		it[nit].value = strdup(n > 2 ? f[2] : "");
		it[nit].extra = strdup(n > 3 ? f[3] : "");
		nit++;
		if (it[nit - 1].key == NULL || it[nit - 1].value == NULL ||
		    it[nit - 1].extra == NULL) {
			rc = err_set(e, E_IO, "%s", _("out of memory"));
			break;
		}
	}
	fclose(fp);
	if (rc == E_OK && nit > 0)
		rc = hubstore_items_set(s, WIRE_PULL_WATCHLIST, it, nit, e);
	if (rc == E_OK)
		*count = (int)nit;
	items_free(it, nit);
	return rc;
}

static int
wl_row(const struct wire_item *it, void *arg)
{
	const char *colon = strchr(it->key, ':');

	(void)arg;
	char type[32];

	if (colon != NULL) {
		snprintf(type, sizeof type, "%.*s", (int)(colon - it->key), it->key);
		printf("%s,%s,%s,%s\n", cli_term(type), cli_term(colon + 1), cli_term(it->value),
		    cli_term(it->extra));
	}
	return 0;
}

static int
wl_list(struct hub_store *s, struct err *e)
{
	printf("type,value,reason,until\n");
	return hubstore_items_list(s, WIRE_PULL_WATCHLIST, wl_row, NULL, e);
}

static int hub_cmd_watchlist(struct cli_args *);

const struct command hub_watchlist_entry = {
	"watchlist", "import FILE.csv | list | remove TYPE VALUE",
	N_("the watchlist stations pull (ID numbers and plates)"), NULL, 0, hub_cmd_watchlist,
};

static int
hub_cmd_watchlist(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	char key[WIRE_TEXT_MAX + 32], val[WIRE_TEXT_MAX];
	char **argv = a->argv;
	const int argc = a->argc, optind = 0;	/* the operands start at argv[0] */
	const char *verb;
	int rc, count = 0;

	hub_cli_args(&h, a);
	if (optind >= argc)
		return cli_usage("watchlist");
	verb = argv[optind];
	if (!((strcmp(verb, "import") == 0 && argc - optind == 2) ||
	    (strcmp(verb, "list") == 0 && argc - optind == 1) ||
	    (strcmp(verb, "remove") == 0 && argc - optind == 3)))
		return cli_usage("watchlist");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (strcmp(verb, "import") == 0) {
		if ((rc = wl_import(h.s, argv[optind + 1], &count, &e)) == E_OK)
			printf(_("%d watchlist entries imported; stations get them at their next "
			    "sync.\n"), count);
	} else if (strcmp(verb, "list") == 0)
		rc = wl_list(h.s, &e);
	else {
		snprintf(val, sizeof val, "%s", argv[optind + 2]);
		normalize(val);
		snprintf(key, sizeof key, "%s:%s", argv[optind + 1], val);
		struct wire_item it = { key, "", "", 0, 1, 0 };
		rc = hubstore_items_set(h.s, WIRE_PULL_WATCHLIST, &it, 1, &e);
	}
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
