/* hub-settings.c — outpost-hub settings: station settings set at the hub and pulled by
 * every station at its next sync (each station checks the value as its own settings do),
 * and the hub's own resource settings (names starting "hub.", never pushed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/hub.h"

/* The hub's own settings: name, default, range, what it does. */
static const struct {
	const char *key;
	long def, lo, hi;
	const char *help;
} hub_settings[] = {
	{ "hub.cache_mib", 64, 2, 65536,
	    N_("pages the store keeps decrypted in memory, in MiB, per process") },
	{ "hub.wal_limit_mib", 64, 1, 65536,
	    N_("size the write-ahead log is cut back to after a checkpoint, in MiB") },
};
#define NHUB (sizeof hub_settings / sizeof hub_settings[0])

static int
print_item(const struct wire_item *it, void *arg)
{
	(void)arg;
	printf("%s=%s\n", cli_term(it->key), cli_term(it->value));
	return 0;
}

/* Sets (value non-NULL) or unsets a hub.* setting after checking it. */
static int
hub_setting(struct hub_store *s, const char *key, const char *value, struct err *e)
{
	char *end;
	size_t i;
	long v;

	for (i = 0; i < NHUB; i++)
		if (strcmp(hub_settings[i].key, key) == 0)
			break;
	if (i == NHUB)
		return err_set(e, E_INVALID,
		    _("%s is not a hub setting (hub.cache_mib, hub.wal_limit_mib)"), key);
	if (value != NULL) {
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || v < hub_settings[i].lo ||
		    v > hub_settings[i].hi)
			return err_set(e, E_INVALID, _("%s must be a whole number from %ld to %ld"),
			    key, hub_settings[i].lo, hub_settings[i].hi);
	}
	return hubstore_meta_set(s, key, value, e);
}

static int
list_hub(struct hub_store *s, struct err *e)
{
	char buf[64];
	size_t i;
	int found, rc;

	for (i = 0; i < NHUB; i++) {
		if ((rc = hubstore_meta_get(s, hub_settings[i].key, buf, sizeof buf, &found, e)) !=
		    E_OK)
			return rc;
		if (found)
			printf("%s=%s\n", hub_settings[i].key, buf);
		else
			printf("%s=%ld\n", hub_settings[i].key, hub_settings[i].def);
	}
	return E_OK;
}

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
	struct wire_item it = { 0 };
	char **argv = a->argv;
	const int argc = a->argc, optind = 0;	/* the operands start at argv[0] */
	const char *verb, *key;
	int rc = E_OK;

	if (optind >= argc)
		return cli_usage("settings");
	verb = argv[optind];
	if (!((strcmp(verb, "list") == 0 && argc - optind == 1) ||
	    (strcmp(verb, "set") == 0 && argc - optind == 3) ||
	    (strcmp(verb, "unset") == 0 && argc - optind == 2)))
		return cli_usage("settings");
	key = argc - optind > 1 ? argv[optind + 1] : NULL;
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (key != NULL && strncmp(key, "hub.", 4) == 0)
		rc = hub_setting(h.s, key, strcmp(verb, "set") == 0 ? argv[optind + 2] : NULL, &e);
	else if (key != NULL) {
		it.key = (char *)key;
		it.value = strcmp(verb, "set") == 0 ? argv[optind + 2] : "";
		it.deleted = strcmp(verb, "unset") == 0;
		rc = hubstore_items_set(h.s, WIRE_PULL_SETTINGS, &it, 1, &e);
	} else if ((rc = hubstore_items_list(h.s, WIRE_PULL_SETTINGS, print_item, NULL, &e)) ==
	    E_OK)
		rc = list_hub(h.s, &e);
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
