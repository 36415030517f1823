/* hub-settings.c — outpost-hub settings: station settings set at the hub and pulled by
 * every station at its next sync (each station checks the value as its own settings do). */
#include <stdio.h>
#include <string.h>

#include "cli/hub.h"
#include "sync/hubstore.h"

static int hub_cmd_settings(struct cli_args *);

const struct command hub_settings_entry = {
	"settings", "list | set KEY VALUE | unset KEY", N_("settings pushed to every station"),
	NULL, 0, hub_cmd_settings,
};

static int
hub_cmd_settings(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	sqlite3_stmt *st;
	char **argv = a->argv;
	const int argc = a->argc, optind = 0;	/* the operands start at argv[0] */
	const char *verb;
	int rc = E_OK;

	if (optind >= argc)
		return cli_usage("settings");
	verb = argv[optind];
	if (!((strcmp(verb, "list") == 0 && argc - optind == 1) ||
	    (strcmp(verb, "set") == 0 && argc - optind == 3) ||
	    (strcmp(verb, "unset") == 0 && argc - optind == 2)))
		return cli_usage("settings");
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (strcmp(verb, "set") == 0)
		rc = hubstore_item_set(h.db, WIRE_PULL_SETTINGS, argv[optind + 1],
		    argv[optind + 2], "", 0, &e);
	else if (strcmp(verb, "unset") == 0)
		rc = hubstore_item_set(h.db, WIRE_PULL_SETTINGS, argv[optind + 1], "", "", 1, &e);
	else if (sqlite3_prepare_v2(h.db, "SELECT key, value, ver FROM items WHERE kind = ?1 "
	    "AND deleted = 0 ORDER BY key", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, WIRE_PULL_SETTINGS);
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("%s=%s\n", cli_term((const char *)sqlite3_column_text(st, 0)),
			    cli_term((const char *)sqlite3_column_text(st, 1)));
		sqlite3_finalize(st);
	} else
		rc = err_set(&e, E_IO, "%s", sqlite3_errmsg(h.db));
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
