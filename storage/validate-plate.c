/* validate-plate.c — Chinese motor-vehicle plates (GA 36-2018): a province character, an
 * issuing-authority letter and a serial of 5 (ordinary), 6 (new-energy) or 4 characters
 * followed by 学警挂领港澳 (special). Formats not recognised warn and are kept as typed. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "storage/validate.h"

static const struct plate_province {
	const char *abbr;	/* one CJK character: three UTF-8 bytes */
	const char *zh;
	const char *en;
} plate_provinces[] = {
	{ "京", "北京", "Beijing" },		{ "津", "天津", "Tianjin" },
	{ "沪", "上海", "Shanghai" },		{ "渝", "重庆", "Chongqing" },
	{ "冀", "河北", "Hebei" },		{ "豫", "河南", "Henan" },
	{ "云", "云南", "Yunnan" },		{ "辽", "辽宁", "Liaoning" },
	{ "黑", "黑龙江", "Heilongjiang" },	{ "湘", "湖南", "Hunan" },
	{ "皖", "安徽", "Anhui" },		{ "鲁", "山东", "Shandong" },
	{ "新", "新疆", "Xinjiang" },		{ "苏", "江苏", "Jiangsu" },
	{ "浙", "浙江", "Zhejiang" },		{ "赣", "江西", "Jiangxi" },
	{ "鄂", "湖北", "Hubei" },		{ "桂", "广西", "Guangxi" },
	{ "甘", "甘肃", "Gansu" },		{ "晋", "山西", "Shanxi" },
	{ "蒙", "内蒙古", "Inner Mongolia" },	{ "陕", "陕西", "Shaanxi" },
	{ "吉", "吉林", "Jilin" },		{ "闽", "福建", "Fujian" },
	{ "贵", "贵州", "Guizhou" },		{ "粤", "广东", "Guangdong" },
	{ "青", "青海", "Qinghai" },		{ "藏", "西藏", "Tibet" },
	{ "川", "四川", "Sichuan" },		{ "宁", "宁夏", "Ningxia" },
	{ "琼", "海南", "Hainan" },
};

/* Provinces typed without an input method: the pinyin of the character, then the pinyin of
 * the province's name. Where one syllable is two provinces' (ji, jin, yu, gan, gui), the
 * first row with it is what it reads as; the second is listed for the pick list and is
 * reached by its name. */
static const struct plate_pinyin {
	const char *key;
	const char *abbr;
} plate_pinyins[] = {
	{ "jing", "京" }, { "jin", "津" }, { "hu", "沪" }, { "yu", "渝" }, { "ji", "冀" },
	{ "yu", "豫" }, { "yun", "云" }, { "liao", "辽" }, { "hei", "黑" }, { "xiang", "湘" },
	{ "wan", "皖" }, { "lu", "鲁" }, { "xin", "新" }, { "su", "苏" }, { "zhe", "浙" },
	{ "gan", "赣" }, { "e", "鄂" }, { "gui", "桂" }, { "gan", "甘" }, { "jin", "晋" },
	{ "meng", "蒙" }, { "shan", "陕" }, { "ji", "吉" }, { "min", "闽" }, { "gui", "贵" },
	{ "yue", "粤" }, { "qing", "青" }, { "zang", "藏" }, { "chuan", "川" },
	{ "ning", "宁" }, { "qiong", "琼" },
	{ "beijing", "京" }, { "tianjin", "津" }, { "shanghai", "沪" }, { "chongqing", "渝" },
	{ "hebei", "冀" }, { "henan", "豫" }, { "yunnan", "云" }, { "liaoning", "辽" },
	{ "heilongjiang", "黑" }, { "hunan", "湘" }, { "anhui", "皖" }, { "shandong", "鲁" },
	{ "xinjiang", "新" }, { "jiangsu", "苏" }, { "zhejiang", "浙" }, { "jiangxi", "赣" },
	{ "hubei", "鄂" }, { "guangxi", "桂" }, { "gansu", "甘" }, { "shanxi", "晋" },
	{ "neimenggu", "蒙" }, { "shaanxi", "陕" }, { "jilin", "吉" }, { "fujian", "闽" },
	{ "guizhou", "贵" }, { "guangdong", "粤" }, { "qinghai", "青" }, { "xizang", "藏" },
	{ "sichuan", "川" }, { "ningxia", "宁" }, { "hainan", "琼" },
};
#define PLATE_NPINYIN (sizeof plate_pinyins / sizeof plate_pinyins[0])

/* Suffix characters of the special plates: coach, police, trailer, consulate, and cross-
 * boundary vehicles from Hong Kong and Macau. */
static const char *const plate_suffixes[] = { "学", "警", "挂", "领", "港", "澳" };

static const char *const plate_kind_names[] = {
	[PLATE_UNKNOWN] = "unknown",
	[PLATE_ORDINARY] = "ordinary",
	[PLATE_NEW_ENERGY] = "new-energy",
	[PLATE_SPECIAL] = "special",
};

const char *
validate_plate_kind_name(int kind)
{
	if (kind < 0 || kind > PLATE_SPECIAL)
		kind = PLATE_UNKNOWN;
	return plate_kind_names[kind];
}

static const struct plate_province *
plate_province_find(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof plate_provinces / sizeof plate_provinces[0]; i++)
		if (strncmp(s, plate_provinces[i].abbr, 3) == 0)
			return &plate_provinces[i];
	return NULL;
}

int
validate_plate_province(const char *plate, const char **zh, const char **en)
{
	const struct plate_province *p;

	if (strlen(plate) < 3 || (p = plate_province_find(plate)) == NULL)
		return -1;
	*zh = p->zh;
	*en = p->en;
	return 0;
}

static int
plate_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
plate_is_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* A serial character: a digit or a letter other than I and O. */
static int
plate_is_serial(char c)
{
	return plate_is_digit(c) || (plate_is_letter(c) && c != 'I' && c != 'O');
}

/* Counts the ASCII letters and digits at the start of s; *io is set if I or O is among
 * them. */
static size_t
plate_alnum_run(const char *s, int *io)
{
	size_t n = 0;

	*io = 0;
	while (plate_is_digit(s[n]) || plate_is_letter(s[n])) {
		if (s[n] == 'I' || s[n] == 'O')
			*io = 1;
		n++;
	}
	return n;
}

static int
plate_is_new_energy(const char *s)
{
	int i;

	/* Small cars: D (electric) or F (hybrid), a letter or digit, then four digits. */
	if ((s[0] == 'D' || s[0] == 'F') && plate_is_serial(s[1])) {
		for (i = 2; i < 6 && plate_is_digit(s[i]); i++)
			;
		if (i == 6)
			return 1;
	}
	/* Large vehicles: five digits, then D or F. */
	for (i = 0; i < 5 && plate_is_digit(s[i]); i++)
		;
	return i == 5 && (s[5] == 'D' || s[5] == 'F');
}

static int
plate_is_suffix(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof plate_suffixes / sizeof plate_suffixes[0]; i++)
		if (strcmp(s, plate_suffixes[i]) == 0)
			return 1;
	return 0;
}

static int
plate_warn(struct plate_result *r, const char *msg)
{
	r->status = VALIDATE_WARNING;
	r->kind = PLATE_UNKNOWN;
	snprintf(r->msg, sizeof r->msg, "%s", msg);
	return r->status;
}

/* The first row whose key is the n bytes at s, or -1. */
static int
plate_pinyin_find(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < PLATE_NPINYIN; i++)
		if (strlen(plate_pinyins[i].key) == n && strncmp(plate_pinyins[i].key, s, n) == 0)
			return (int)i;
	return -1;
}

/* The shortest key that reads as abbr (the first row with that key is abbr's). */
static const char *
plate_pinyin_key_of(const char *abbr)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < PLATE_NPINYIN; i++) {
		const char *k = plate_pinyins[i].key;

		if (strcmp(plate_pinyins[i].abbr, abbr) == 0 &&
		    plate_pinyin_find(k, strlen(k)) == (int)i &&
		    (best == NULL || strlen(k) < strlen(best)))
			best = k;
	}
	return best;
}

int
validate_plate_pinyin(const char *text, char *out, size_t outsz)
{
	size_t run = 0, used;
	int row;

	while (text[run] >= 'a' && text[run] <= 'z')
		run++;
	used = run;
	if ((row = run > 0 ? plate_pinyin_find(text, run) : -1) < 0 && run >= 2) {
		used = run - 1;	/* the last letter is the issuing letter */
		row = plate_pinyin_find(text, used);
	}
	if (row < 0) {
		if (strlen(text) >= outsz)
			return -2;
		memcpy(out, text, strlen(text) + 1);
		return -1;
	}
	if (snprintf(out, outsz, "%s%s", plate_pinyins[row].abbr, text + used) >= (int)outsz)
		return -2;
	return row;
}

size_t
validate_plate_pinyin_matches(const char *prefix, size_t n, const char **abbr,
    const char **key, size_t max)
{
	size_t i, j, got = 0;

	for (i = 0; i < PLATE_NPINYIN && got < max; i++) {
		if (strncmp(plate_pinyins[i].key, prefix, n) != 0)
			continue;
		for (j = 0; j < got && strcmp(abbr[j], plate_pinyins[i].abbr) != 0; j++)
			;
		if (j < got)
			continue;
		abbr[got] = plate_pinyins[i].abbr;
		key[got++] = plate_pinyin_key_of(plate_pinyins[i].abbr);
	}
	return got;
}

int
validate_plate(const char *text, struct plate_result *r)
{
	char typed[sizeof r->norm + 8];
	size_t k;
	int row;

	const struct plate_province *p;
	const char *serial;
	size_t n;
	int len, io;

	memset(r, 0, sizeof *r);
	row = validate_plate_pinyin(text, typed, sizeof typed);
	len = row == -2 ? -1 : validate_fold(typed, r->norm, sizeof r->norm);
	if (len < 0) {
		r->status = VALIDATE_INVALID;
		snprintf(r->msg, sizeof r->msg, "%s", _("plate is too long or not text"));
		return r->status;
	}
	if (len == 0) {
		r->status = VALIDATE_INVALID;
		snprintf(r->msg, sizeof r->msg, "%s", _("plate is empty"));
		return r->status;
	}
	if (len < 3 || (p = plate_province_find(r->norm)) == NULL)
		return plate_warn(r, _("plate does not start with a province character; "
		    "kept as typed"));
	r->province_zh = p->zh;
	r->province_en = p->en;
	if (!plate_is_letter(r->norm[3]))
		return plate_warn(r, _("plate has no issuing letter after the province; "
		    "kept as typed"));
	serial = r->norm + 4;
	n = plate_alnum_run(serial, &io);
	if (io && (serial[n] == '\0' || plate_is_suffix(serial + n)))
		return plate_warn(r, _("plates do not use the letters I and O (did you mean "
		    "1 and 0?); kept as typed"));
	if (serial[n] == '\0' && n == 5) {
		r->kind = PLATE_ORDINARY;
	} else if (serial[n] == '\0' && n == 6) {
		if (!plate_is_new_energy(serial))
			return plate_warn(r, _("a 6-character plate is new-energy: D or F "
			    "first (small) or last (large); kept as typed"));
		r->kind = PLATE_NEW_ENERGY;
	} else if (n == 4 && plate_is_suffix(serial + n)) {
		r->kind = PLATE_SPECIAL;
	} else
		return plate_warn(r, _("plate format not recognised; kept as typed"));
	if (row >= 0) {
		r->pinyin = plate_pinyins[row].key;
		for (k = 0; k < PLATE_NPINYIN; k++)
			if (strcmp(plate_pinyins[k].key, r->pinyin) == 0 && (int)k != row) {
				r->other_zh = plate_pinyins[k].abbr;
				r->other_key = plate_pinyin_key_of(r->other_zh);
			}
		if (r->other_zh != NULL)
			snprintf(r->msg, sizeof r->msg, _("%s read as %s (%s); for %s type %s"),
			    r->pinyin, plate_pinyins[row].abbr, p->zh, r->other_zh, r->other_key);
		else
			snprintf(r->msg, sizeof r->msg, _("%s read as %s (%s)"), r->pinyin,
			    plate_pinyins[row].abbr, p->zh);
	}
	r->status = VALIDATE_OK;
	return r->status;
}

int
validate_plate_prefix(const char *plate, const char *const *prefixes, size_t n)
{
	char p[64], q[64], typed[64];
	size_t i, ql;
	int pl;

	if (validate_plate_pinyin(plate, typed, sizeof typed) == -2 ||
	    (pl = validate_fold(typed, p, sizeof p)) <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (prefixes[i] == NULL || validate_fold(prefixes[i], q, sizeof q) <= 0)
			continue;
		ql = strlen(q);
		if (ql <= (size_t)pl && memcmp(p, q, ql) == 0)
			return (int)i;
	}
	return -1;
}
