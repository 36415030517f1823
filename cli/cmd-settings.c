/* cmd-settings.c — outpost settings get [KEY] | set KEY VALUE: the station's settings,
 * each checked before it is stored. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/export.h"

int
cmd_settings(int argc, char **argv)
{
	struct cli_opts o = {0};
	const struct setting_def *d;
	struct rcli s;
	struct err e = {0};
	char *pos[3], val[1024];
	int npos = 3, rc = E_OK, fmt, n = 0;

	if (rcli_parse(argc, argv, &o, NULL, NULL, pos, &npos, &e) != E_OK || npos < 1 ||
	    (fmt = rcli_format(&o)) < 0 ||
	    !((strcmp(pos[0], "get") == 0 && npos <= 2) ||
		(strcmp(pos[0], "set") == 0 && npos == 3)))
		return cli_usage("settings");
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
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
