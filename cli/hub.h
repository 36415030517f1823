/* hub.h — what the outpost-hub commands share: their entry points (one per cli/hub-NAME.c,
 * rows of the table in hub-main.c) and the options every one of them takes. */
#ifndef OUTPOST_CLI_HUB_H
#define OUTPOST_CLI_HUB_H

#include <getopt.h>

#include "cli/cli.h"
#include "hub/store.h"

struct hub_cli {
	const char *store;		/* --store PATH or postgresql://… */
	const char *passphrase_file;	/* --passphrase-file PATH */
	struct hub_store *s;		/* open after hub_cli_open */
};

enum { HOPT_STORE = 0x200, HOPT_PASSFILE, HOPT_LAST };
#define HUB_OPTS \
	{ "store", required_argument, NULL, HOPT_STORE }, \
	{ "passphrase-file", required_argument, NULL, HOPT_PASSFILE }

/* Handles one of HUB_OPTS; 1 if c was one of them. */
int hub_cli_opt(int c, const char *arg, struct hub_cli *h);
/* The store's address: --store, else $XDG_DATA_HOME/outpost-hub/hub.db, else
 * ~/.local/share/outpost-hub/hub.db. Static buffer. */
const char *hub_cli_path(const struct hub_cli *h);
/* Asks for the passphrase, opens the store and brings its schema up to date. */
int hub_cli_open(struct hub_cli *h, struct err *e);
/* Closes what hub_cli_open opened. */
void hub_cli_close(struct hub_cli *h);
/* Formats epoch ms as local "YYYY-MM-DD HH:MM" (or "-" for 0) into buf (>= 20 bytes). */
void hub_cli_time(int64_t ms, char *buf, size_t n);

int hub_cmd_init(int argc, char **argv);
int hub_cmd_serve(int argc, char **argv);
int hub_cmd_enroll(int argc, char **argv);
int hub_cmd_revoke(int argc, char **argv);
int hub_cmd_stations(int argc, char **argv);
int hub_cmd_watchlist(int argc, char **argv);
int hub_cmd_settings(int argc, char **argv);
int hub_cmd_import(int argc, char **argv);
int hub_cmd_export(int argc, char **argv);
int hub_cmd_report(int argc, char **argv);
int hub_cmd_top(int argc, char **argv);
int hub_cmd_purge(int argc, char **argv);

#endif
