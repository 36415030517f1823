/* commands.h — the entry point of every outpost subcommand, one per cli/cmd-NAME.c. */
#ifndef OUTPOST_COMMANDS_H
#define OUTPOST_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rekey(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_exit(int argc, char **argv);
int cmd_correct(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_shift(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_watchlist(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_enroll(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_bundle(int argc, char **argv);

#endif
