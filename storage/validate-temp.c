/* validate-temp.c — body temperatures as a volunteer types them at a checkpoint, in tenths
 * of a degree Celsius. A reading outside 32.0–43.0 °C is a measuring error (cold forehead,
 * sun on the sensor): the person is measured again and the value is never stored. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "storage/validate.h"

static int
temp_fail(struct temp_result *r, const char *msg)
{
	r->status = VALIDATE_INVALID;
	snprintf(r->msg, sizeof r->msg, "%s", msg);
	return r->status;
}

static int
temp_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Strips one trailing unit: "°C", "℃" or "C" (fold made it uppercase). */
static void
temp_strip_unit(char *s)
{
	size_t n = strlen(s);

	if (n >= 3 && strcmp(s + n - 3, "℃") == 0)
		s[n - 3] = '\0';
	else if (n >= 3 && strcmp(s + n - 3, "°C") == 0)
		s[n - 3] = '\0';
	else if (n >= 1 && s[n - 1] == 'C')
		s[n - 1] = '\0';
}

int
validate_temp(const char *text, int threshold_tenths, struct temp_result *r)
{
	char buf[32];
	size_t n, ip;
	int v;

	memset(r, 0, sizeof *r);
	/* fold drops '-' (and turns full-width －＋ into -+), so a sign, also U+2212 minus,
	 * must be refused before it. */
	if (strpbrk(text, "-+") != NULL || strstr(text, "\xef\xbc\x8d") != NULL ||
	    strstr(text, "\xef\xbc\x8b") != NULL || strstr(text, "\xe2\x88\x92") != NULL)
		return temp_fail(r, _("temperature is a reading like 36.5"));
	if (validate_fold(text, buf, sizeof buf) < 0)
		return temp_fail(r, _("temperature is a reading like 36.5"));
	temp_strip_unit(buf);
	if ((n = strlen(buf)) == 0)
		return temp_fail(r, _("temperature is empty"));
	for (ip = 0; temp_digit(buf[ip]); ip++)
		;
	if (ip == n && n == 3) {
		/* "365": the volunteer skipped the decimal point. */
		v = (buf[0] - '0') * 100 + (buf[1] - '0') * 10 + (buf[2] - '0');
	} else if (ip == n && n == 2) {
		v = ((buf[0] - '0') * 10 + (buf[1] - '0')) * 10;
	} else if (ip == 2 && (buf[2] == '.' || buf[2] == ',') &&
	    (n == 3 || (n == 4 && temp_digit(buf[3])))) {
		v = ((buf[0] - '0') * 10 + (buf[1] - '0')) * 10 + (n == 4 ? buf[3] - '0' : 0);
	} else if (ip == 2 && (buf[2] == '.' || buf[2] == ',') && n > 4) {
		return temp_fail(r, _("temperature takes one decimal place, like 36.5"));
	} else
		return temp_fail(r, _("temperature is a reading like 36.5"));
	r->tenths = v;
	if (v < TEMP_MIN_TENTHS || v > TEMP_MAX_TENTHS) {
		r->remeasure = 1;
		return temp_fail(r, _("outside 32.0–43.0 °C: re-measure"));
	}
	r->status = VALIDATE_OK;
	if (v >= threshold_tenths) {
		r->fever = 1;
		snprintf(r->msg, sizeof r->msg, _("fever: %d.%d °C is at or above %d.%d °C"),
		    v / 10, v % 10, threshold_tenths / 10, threshold_tenths % 10);
	}
	return r->status;
}
