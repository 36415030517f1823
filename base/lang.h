/* lang.h — the interface's language chosen by --lang, whatever the locale. */
#ifndef OUTPOST_LANG_H
#define OUTPOST_LANG_H

/* Sets the language of messages to "en" or "zh" (also "zh_CN"): LANGUAGE picks the catalog,
 * the locale is set again so gettext drops what it cached, a UTF-8 character set is ensured
 * for Chinese and LC_NUMERIC stays "C". Returns 0, or -1 for any other value (nothing set). */
int lang_set(const char *lang);

#endif
