/* cmd-check.c — outpost check: every page's tag, both header copies, then SQLite's
 * integrity check, then every record's body; prints ok, or what is damaged, and lists what
 * was put aside (records that cannot be read, items from the hub that were not taken). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/quarantine.h"

static int
print_item(const char *what, const char *key, int64_t version, const char *reason, void *arg)
{
	(void)arg;
	printf(_("  put aside: %s %s (hub version %lld): %s\n"), what, cli_term(key),
	    (long long)version, cli_term(reason));
	return 0;
}

/* Every record decoded once: one that cannot be read is damage (exit 3), named by seq, and
 * everything else still reads around it. */
static int
check_records(struct vault *v, struct err *e)
{
	struct quarantine_status q = { 0 };
	struct logbook *lb;
	sqlite3 *db;
	char seqs[160];
	size_t o = 0;
	int rc, i;

	if ((rc = vault_open_db(v, &db, e)) != E_OK)
		return rc;
	if ((rc = logbook_open(db, &lb, e)) == E_OK) {
		if ((rc = quarantine_scan(lb, &q, e)) == E_OK && q.items > 0) {
			printf(_("items from the hub put aside: %lld\n"), (long long)q.items);
			rc = quarantine_items(lb, print_item, NULL, e);
		}
		logbook_close(lb);
	}
	sqlite3_close(db);
	if (rc != E_OK || q.records == 0)
		return rc;
	seqs[0] = '\0';
	for (i = 0; i < q.nfirst && o < sizeof seqs; i++)
		o += (size_t)snprintf(seqs + o, sizeof seqs - o, "%s%lld", i ? ", " : "",
		    (long long)q.first[i]);
	return err_set(e, E_DAMAGED,
	    _("damaged: records that cannot be read: %lld (seq %s%s); they are kept as they "
	      "are, and lists, reports, exports and sync go on around them"),
	    (long long)q.records, seqs, q.records > q.nfirst ? ", …" : "");
}

static int cmd_check(struct cli_args *);

const struct command cmd_check_entry = {
	"check", "", N_("verify every page and the database structure; prints ok"),
	NULL, 0, cmd_check,
};

static int
cmd_check(struct cli_args *a)
{
	struct err e = { 0 };
	struct vault *v;
	int rc;

	if (a->argc != 0)
		return cli_usage("check");
	if ((rc = cli_unlock(&a->o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_check(v, &e);
	if (rc == E_OK)
		rc = check_records(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("ok\n");
	return E_OK;
}
