/* validate.h — pure validators for what a volunteer types: resident ID numbers (GB 11643),
 * Chinese plates (GA 36-2018), phone numbers and temperatures. No I/O, no SQL, no globals;
 * each fills a result struct whose msg is for a person (translated with _()) and never
 * repeats the personal data it was given. */
#ifndef OUTPOST_VALIDATE_H
#define OUTPOST_VALIDATE_H

#include <stddef.h>

/* Every result has a status: OK (store it), WARNING (store it, show msg), INVALID (do not
 * store; msg says what is wrong). */
enum validate_status { VALIDATE_OK = 0, VALIDATE_WARNING = 1, VALIDATE_INVALID = 2 };

#define VALIDATE_MSG_MAX 192

/* Shared text folding: copies in to out (outsz bytes, NUL-terminated), turning full-width
 * ASCII (U+FF01–FF5E) into ASCII, dropping ASCII and ideographic spaces, tabs, '-' and
 * middle dots (U+00B7, U+2022, U+30FB, U+FF65), uppercasing a–z. Returns the length, or
 * -1 if in is not valid UTF-8 or out is too small. */
int validate_fold(const char *in, char *out, size_t outsz);

/* What a Chinese input method types, made plain before any length or shape check: copies
 * in to out (outsz bytes, NUL-terminated) turning full-width ASCII (Ａ１２，－) into ASCII
 * and the ideographic space into a space; with numeric also 。 into '.' and 、 into ','.
 * Nothing is dropped or uppercased (validate_fold does that). Returns the length, or -1
 * if in is not valid UTF-8 or out is too small. */
int validate_halfwidth(const char *in, char *out, size_t outsz, int numeric);

/* ---- GB 11643 resident ID numbers ---- */

/* A calendar date; used for "today" so the validators stay pure. */
struct validate_date {
	int year, month, day;
};

struct id_result {
	int status;		/* enum validate_status */
	int legacy;		/* the input was a 15-digit number (converted in norm) */
	char norm[19];		/* 18 characters, X uppercase; set whenever the shape is right
				 * (digits and length), even if the date or check is wrong */
	char birth[11];		/* YYYY-MM-DD, set when the date is real */
	char sex;		/* 'M' or 'F', set with norm */
	char expected_check;	/* the check character the first 17 digits call for */
	char msg[VALIDATE_MSG_MAX];
};

/* The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') of 17 ASCII digits; 0 if d
 * holds anything else. */
char validate_id_check_char(const char *d17);

/* Validates an 18-character ID (or a 15-digit legacy one, read as born 19YY) typed in
 * text: length, digits, province code, a real birth date from 1900 up to today (skipped
 * when today is NULL) and the check character. Lowercase x is accepted. Returns r->status. */
int validate_id(const char *text, const struct validate_date *today, struct id_result *r);

/* ---- Chinese plates ---- */

enum plate_kind { PLATE_UNKNOWN = 0, PLATE_ORDINARY, PLATE_NEW_ENERGY, PLATE_SPECIAL };

struct plate_result {
	int status;		/* OK, WARNING for a format not recognised, INVALID if empty */
	int kind;		/* enum plate_kind */
	char norm[48];		/* uppercase, no spaces, dots or hyphens */
	const char *province_zh;	/* "广东" for 粤; NULL if no known province character */
	const char *province_en;	/* "Guangdong" */
	const char *pinyin;	/* the province was typed by its pinyin ("ji"), else NULL */
	const char *other_zh;	/* another province with that pinyin ("吉"), else NULL */
	const char *other_key;	/* and what to type for it ("jilin") */
	char msg[VALIDATE_MSG_MAX];	/* with OK: how a pinyin was read, else empty */
};

/* Recognises province character + issuing letter + 5 (ordinary), 6 (new-energy: D/F
 * first for small cars, 4 digits after; 5 digits then D/F for large) or 4 + 学警挂领港澳
 * (special). Unknown formats are a warning, not an error. Returns r->status. */
int validate_plate(const char *text, struct plate_result *r);

/* A plate typed without a Chinese input method: when text starts with lowercase letters
 * that are a province's pinyin or usual name ("ji", "jing", "yue", "e", "hebei", "jilin"),
 * the whole run or all but its last letter (then the issuing letter, "jig7k2q9"), copies
 * it to out with the province character in their place ("冀G7K2Q9" after folding) and
 * returns the province's index (>= 0); otherwise copies text unchanged and returns -1.
 * -2 if out is too small. Where a syllable is two provinces' (ji: 冀 吉; jin: 津 晋; yu:
 * 渝 豫; gan: 赣 甘; gui: 桂 贵) the first is read; the other has its name (jilin, shanxi,
 * henan, gansu, guizhou). */
int validate_plate_pinyin(const char *text, char *out, size_t outsz);

/* The pick list for a pinyin typed so far: up to max provinces whose pinyin or name starts
 * with the n lowercase letters at prefix, each as its character (abbr[i]) and the shortest
 * thing to type for it (key[i], static strings). Returns how many. */
size_t validate_plate_pinyin_matches(const char *prefix, size_t n, const char **abbr,
    const char **key, size_t max);

/* "ordinary", "new-energy", "special" or "unknown" (not translated: a stored value). */
const char *validate_plate_kind_name(int kind);

/* The province for a plate's first character (a UTF-8 string starting with it): fills
 * *zh and *en with static strings and returns 0, or returns -1 if it is not one. */
int validate_plate_province(const char *plate, const char **zh, const char **en);

/* Whether plate (as typed; folded here) starts with one of n prefixes ("鄂A", "鄂", also
 * folded): the index of the first that matches, or -1. */
int validate_plate_prefix(const char *plate, const char *const *prefixes, size_t n);

/* ---- Phone numbers ---- */

enum phone_kind { PHONE_NONE = 0, PHONE_MOBILE, PHONE_LANDLINE, PHONE_FOREIGN };

struct phone_result {
	int status;	/* OK mobile or landline; WARNING a non-mainland +CC number; INVALID */
	int kind;	/* enum phone_kind */
	char norm[24];	/* mobile "13812345678", landline "010-12345678", foreign "+85291234567" */
	char msg[VALIDATE_MSG_MAX];
};

/* Mainland mobile (11 digits, 1[3-9]…, optional +86/0086/86) or landline (0, 2–3 digit
 * area code, 7–8 digit number); spaces, dashes and brackets are ignored. */
int validate_phone(const char *text, struct phone_result *r);

/* ---- Temperatures ---- */

#define TEMP_MIN_TENTHS 320	/* below: re-measure */
#define TEMP_MAX_TENTHS 430	/* above: re-measure */

struct temp_result {
	int status;	/* OK; INVALID for text that is not a reading or out of range */
	int tenths;	/* 365 for 36.5 °C, set when the text parses */
	int remeasure;	/* parsed but outside 32.0–43.0: measure again, do not store */
	int fever;	/* tenths >= threshold */
	char msg[VALIDATE_MSG_MAX];
};

/* Parses what a volunteer types: "36.5", "36,5", "365" (three digits: tenths), "37"
 * (two digits: whole degrees), an optional trailing °C/℃/C. At most one decimal. */
int validate_temp(const char *text, int threshold_tenths, struct temp_result *r);

#endif
