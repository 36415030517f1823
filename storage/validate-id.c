/* validate-id.c — GB 11643 citizen identity numbers: 6-digit region, 8-digit birth date,
 * 3-digit sequence (odd = male) and an ISO 7064 MOD 11-2 check character; 15-digit
 * numbers of the first-generation cards (YYMMDD of 19YY, no check) are converted to 18. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "storage/validate.h"

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_checks[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };

/* The two-digit province codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macau). */
static const int id_provinces[] = {
	11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
	41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
};

char
validate_id_check_char(const char *d17)
{
	int i, sum = 0;

	for (i = 0; i < 17; i++) {
		if (d17[i] < '0' || d17[i] > '9')
			return 0;
		sum += (d17[i] - '0') * id_weights[i];
	}
	return id_checks[sum % 11];
}

static int
id_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
id_num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

static int
id_province_known(int code)
{
	size_t i;

	for (i = 0; i < sizeof id_provinces / sizeof id_provinces[0]; i++)
		if (id_provinces[i] == code)
			return 1;
	return 0;
}

static int
id_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int
id_fail(struct id_result *r, const char *msg)
{
	r->status = VALIDATE_INVALID;
	snprintf(r->msg, sizeof r->msg, "%s", msg);
	return r->status;
}

int
validate_id(const char *text, const struct validate_date *today, struct id_result *r)
{
	char buf[64];
	int len, y, m, d, t;

	memset(r, 0, sizeof *r);
	if ((len = validate_fold(text, buf, sizeof buf)) < 0)
		return id_fail(r, _("ID number is too long or not text"));
	if (len == 0)
		return id_fail(r, _("ID number is empty"));
	if (len == 18) {
		if (!id_all_digits(buf, 17) || !(id_all_digits(buf + 17, 1) || buf[17] == 'X'))
			return id_fail(r, _("ID number may hold only digits and a final X"));
		memcpy(r->norm, buf, 19);
	} else if (len == 15) {
		if (!id_all_digits(buf, 15))
			return id_fail(r, _("a 15-digit ID number holds only digits"));
		/* First-generation cards: insert the century, then compute the check. */
		memcpy(r->norm, buf, 6);
		memcpy(r->norm + 6, "19", 2);
		memcpy(r->norm + 8, buf + 6, 9);
		r->norm[17] = validate_id_check_char(r->norm);
		r->norm[18] = '\0';
		r->legacy = 1;
	} else {
		r->status = VALIDATE_INVALID;
		snprintf(r->msg, sizeof r->msg,
		    _("ID number must have 18 characters (15 on old cards), not %d"), len);
		return r->status;
	}
	r->sex = (r->norm[16] - '0') % 2 == 1 ? 'M' : 'F';
	r->expected_check = validate_id_check_char(r->norm);

	if (!id_province_known(id_num(r->norm, 2)))
		return id_fail(r, _("ID number does not start with a province code (11–82)"));
	y = id_num(r->norm + 6, 4);
	m = id_num(r->norm + 10, 2);
	d = id_num(r->norm + 12, 2);
	if (m < 1 || m > 12 || d < 1 || d > id_days_in_month(y, m))
		return id_fail(r, _("the birth date in the ID number is not a real date"));
	if (y < 1900)
		return id_fail(r, _("the birth date in the ID number is before 1900"));
	if (today != NULL) {
		t = today->year * 10000 + today->month * 100 + today->day;
		if (y * 10000 + m * 100 + d > t)
			return id_fail(r, _("the birth date in the ID number is in the future"));
	}
	memcpy(r->birth, r->norm + 6, 4);
	r->birth[4] = '-';
	memcpy(r->birth + 5, r->norm + 10, 2);
	r->birth[7] = '-';
	memcpy(r->birth + 8, r->norm + 12, 2);
	r->birth[10] = '\0';
	if (r->norm[17] != r->expected_check) {
		r->status = VALIDATE_INVALID;
		snprintf(r->msg, sizeof r->msg,
		    _("check character should be %c — re-read the card"), r->expected_check);
		return r->status;
	}
	r->status = VALIDATE_OK;
	return r->status;
}
