/* lang.c — --lang for both programs and the full-screen app. */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/lang.h"

int
lang_set(const char *lang)
{
	if (strcmp(lang, "zh") == 0 || strcmp(lang, "zh_CN") == 0)
		setenv("LANGUAGE", "zh_CN", 1);
	else if (strcmp(lang, "en") == 0)
		setenv("LANGUAGE", "en", 1);
	else
		return -1;
	/* setlocale again so gettext forgets the translations it cached */
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_ALL, "C.UTF-8");
	setlocale(LC_NUMERIC, "C");
	return 0;
}
