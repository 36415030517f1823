/* err.c — filling a struct err. */
#include <stdarg.h>
#include <stdio.h>

#include "base/err.h"

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = E_OK;
	e->msg[0] = '\0';
}
