/* validate-phone.c — mainland Chinese phone numbers: 11-digit mobiles (1[3-9]…) and
 * landlines (trunk 0, a 2- or 3-digit area code, a 7- or 8-digit number). Numbers with
 * another country code are kept with a warning: visitors come from Hong Kong and abroad. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "storage/validate.h"

static int
phone_fail(struct phone_result *r, const char *msg)
{
	r->status = VALIDATE_INVALID;
	r->kind = PHONE_NONE;
	r->norm[0] = '\0';
	snprintf(r->msg, sizeof r->msg, "%s", msg);
	return r->status;
}

static int
phone_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
phone_mobile(const char *d, struct phone_result *r)
{
	size_t n = strlen(d);

	if (n != 11) {
		r->status = VALIDATE_INVALID;
		snprintf(r->msg, sizeof r->msg, _("a mobile number has 11 digits, not %zu"), n);
		return r->status;
	}
	if (d[1] < '3')
		return phone_fail(r, _("mobile numbers start with 13 to 19"));
	r->status = VALIDATE_OK;
	r->kind = PHONE_MOBILE;
	memcpy(r->norm, d, 12);
	return r->status;
}

/* d starts with the trunk 0. Area codes 010 and 020–029 have two digits after the 0,
 * all others three. */
static int
phone_landline(const char *d, struct phone_result *r)
{
	size_t n = strlen(d), area = (d[1] == '1' || d[1] == '2') ? 2 : 3, local;

	if (n >= 2 && d[1] == '0')
		return phone_fail(r, _("not a phone number: an area code does not start "
		    "with 00"));
	if (n < 1 + area + 7 || ((local = n - 1 - area) != 7 && local != 8))
		return phone_fail(r, _("a landline is an area code and a 7- or 8-digit "
		    "number"));
	r->status = VALIDATE_OK;
	r->kind = PHONE_LANDLINE;
	snprintf(r->norm, sizeof r->norm, "%.*s-%s", (int)(1 + area), d, d + 1 + area);
	return r->status;
}

int
validate_phone(const char *text, struct phone_result *r)
{
	char buf[64], d[64], *s;
	int len, plus;
	size_t i, j;

	memset(r, 0, sizeof *r);
	if ((len = validate_fold(text, buf, sizeof buf)) < 0)
		return phone_fail(r, _("phone number is too long or not text"));
	/* Brackets around an area code are decoration; fold already dropped - and spaces. */
	for (i = j = 0; buf[i] != '\0'; i++)
		if (buf[i] != '(' && buf[i] != ')')
			d[j++] = buf[i];
	d[j] = '\0';
	if (j == 0)
		return phone_fail(r, _("phone number is empty"));
	plus = d[0] == '+';
	s = d + plus;
	if (!phone_digits(s))
		return phone_fail(r, _("a phone number holds only digits (and a leading +)"));
	if (!plus && strncmp(s, "00", 2) == 0) {
		plus = 1;
		s += 2;
	}
	if (plus) {
		if (strncmp(s, "86", 2) != 0) {
			if (strlen(s) < 7 || strlen(s) > 15)
				return phone_fail(r, _("an international number has 7 to 15 "
				    "digits"));
			r->status = VALIDATE_WARNING;
			r->kind = PHONE_FOREIGN;
			snprintf(r->norm, sizeof r->norm, "+%s", s);
			snprintf(r->msg, sizeof r->msg, "%s",
			    _("not a mainland China number; kept without checking"));
			return r->status;
		}
		s += 2;
		/* No mobile starts with 10: "+86 10 …" is Beijing without its trunk 0. */
		if (*s == '1' && s[1] != '0')
			return phone_mobile(s, r);
		if (*s == '0')	/* "+86 010 …": a redundant trunk 0 */
			return phone_landline(s, r);
		/* +86 then an area code without its trunk 0. */
		d[0] = '0';
		memmove(d + 1, s, strlen(s) + 1);
		return phone_landline(d, r);
	}
	if (strlen(s) == 13 && strncmp(s, "861", 3) == 0)
		return phone_mobile(s + 2, r);
	if (*s == '1')
		return phone_mobile(s, r);
	if (*s == '0')
		return phone_landline(s, r);
	return phone_fail(r, _("not a phone number: 11 mobile digits, or an area code "
	    "and a number"));
}
