/* hub.h — what the outpost-hub commands share: their table rows (one per cli/hub-NAME.c,
 * listed in hub-main.c) and the store they open. */
#ifndef OUTPOST_CLI_HUB_H
#define OUTPOST_CLI_HUB_H

#include <sqlite3.h>

#include "cli/cli.h"
#include "hub/store.h"

struct hub_cli {
	const char *store;		/* --store PATH or postgresql://… */
	const char *passphrase_file;	/* --passphrase-file PATH */
	struct hub_store *s;		/* open after hub_cli_open */
	struct hub_store **more;	/* nmore more connections to the same store, opened and
					 * closed with s (serve's ingest workers); may be NULL */
	size_t nmore;
};

/* Takes the store and passphrase file from a's global options. */
void hub_cli_args(struct hub_cli *h, const struct cli_args *a);
/* The store's address: --store, else $XDG_DATA_HOME/outpost-hub/hub.db, else
 * ~/.local/share/outpost-hub/hub.db. Static buffer. */
const char *hub_cli_path(const struct hub_cli *h);
/* Asks for the passphrase, opens the store and brings its schema up to date (and opens
 * the nmore more). */
int hub_cli_open(struct hub_cli *h, struct err *e);
/* Closes what hub_cli_open opened. */
void hub_cli_close(struct hub_cli *h);
/* Formats epoch ms as local "YYYY-MM-DD HH:MM" (or "-" for 0) into buf (>= 20 bytes). */
void hub_cli_time(int64_t ms, char *buf, size_t n);

extern const struct command hub_init_entry;
extern const struct command hub_serve_entry;
extern const struct command hub_enroll_entry;
extern const struct command hub_revoke_entry;
extern const struct command hub_stations_entry;
extern const struct command hub_watchlist_entry;
extern const struct command hub_settings_entry;
extern const struct command hub_import_entry;
extern const struct command hub_export_entry;
extern const struct command hub_report_entry;
extern const struct command hub_top_entry;
extern const struct command hub_purge_entry;

#endif
