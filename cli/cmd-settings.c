/* cmd-settings.c — outpost settings get [KEY] | set KEY VALUE: the station's settings,
 * each checked before it is stored. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/export.h"

static int cmd_settings(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "table|csv|json", N_("get: how to print them (default table)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_settings_entry = {
	"settings", "get [KEY] | set KEY VALUE", N_("show or change the station's settings"),
	options, 0, cmd_settings,
};

static int
cmd_settings(struct cli_args *a)
{
	const struct setting_def *d;
	char **pos = a->argv;
	struct rcli s;
	struct err e = {0};
	char val[1024];
	int npos = a->argc, rc = E_OK, fmt = rcli_format(&a->o), n = 0;

	if (npos < 1 || !((strcmp(pos[0], "get") == 0 && npos <= 2) ||
		(strcmp(pos[0], "set") == 0 && npos == 3)))
		return cli_usage("settings");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (strcmp(pos[0], "set") == 0) {
		rc = settings_set(s.lb, pos[1], pos[2], &e);
	} else if (npos == 2) {
		if ((rc = settings_get(s.lb, pos[1], val, sizeof val, &e)) == E_OK)
			printf("%s\n", cli_term(val));
	} else {
		if (fmt == RCLI_JSON)
			printf("{");
		else if (fmt == RCLI_CSV)
			printf("key,value\r\n");
		for (d = settings_keys; d->key != NULL && rc == E_OK; d++, n++) {
			if ((rc = settings_get(s.lb, d->key, val, sizeof val, &e)) != E_OK)
				break;
			if (fmt == RCLI_JSON) {
				printf("%s\"%s\":", n ? "," : "", d->key);
				export_json_str(stdout, val);
			} else if (fmt == RCLI_CSV) {
				const char *row[] = {d->key, val};

				rcli_csv_row(stdout, row, 2);
			} else {
				printf("%-18s %-24s # %s\n", d->key, cli_term(val), _(d->help));
			}
		}
		if (fmt == RCLI_JSON)
			printf("}\n");
	}
	rcli_close(&s);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
