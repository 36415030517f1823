/* commands.h — the table row of every outpost subcommand, one per cli/cmd-NAME.c (as tmux
 * declares each cmd_entry). */
#ifndef OUTPOST_COMMANDS_H
#define OUTPOST_COMMANDS_H

#include "cli/cli.h"

extern const struct command cmd_init_entry;
extern const struct command cmd_passwd_entry;
extern const struct command cmd_check_entry;
extern const struct command cmd_rekey_entry;
extern const struct command cmd_backup_entry;
extern const struct command cmd_add_entry;
extern const struct command cmd_exit_entry;
extern const struct command cmd_correct_entry;
extern const struct command cmd_list_entry;
extern const struct command cmd_search_entry;
extern const struct command cmd_report_entry;
extern const struct command cmd_shift_entry;
extern const struct command cmd_export_entry;
extern const struct command cmd_purge_entry;
extern const struct command cmd_watchlist_entry;
extern const struct command cmd_settings_entry;
extern const struct command cmd_enroll_entry;
extern const struct command cmd_sync_entry;
extern const struct command cmd_bundle_entry;

#endif
