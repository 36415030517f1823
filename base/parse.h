/* parse.h — the one parser for numbers and the one for dates that every field, setting,
 * flag and peer message uses. Numbers are decimal text with no more precision than the
 * field keeps, finite and in range; dates are real calendar dates. Messages say the range
 * and what to type, and name the field (never NULL: pass the name a person typed). */
#ifndef OUTPOST_PARSE_H
#define OUTPOST_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* A whole number from min to max: optional '-', ASCII digits only (no '+', spaces, hex or
 * exponent). E_INVALID "FIELD: 'TEXT' is not a whole number" or "FIELD: TEXT is out of
 * range: use MIN to MAX". */
int parse_int(const char *s, int64_t min, int64_t max, const char *field, int64_t *out,
    struct err *e);

/* A decimal with at most places digits after the point ('.' or ','), stored scaled:
 * "12.5" with places 1 is 125. min and max are scaled too. No "nan", "inf", exponent or
 * hex; more digits than places is refused (say "0.0000001" to a field of tenths), not
 * rounded away. */
int parse_fixed(const char *s, int places, int64_t min, int64_t max, const char *field,
    int64_t *out, struct err *e);

/* The days of month m (1–12) of year y (Gregorian), 0 for a month out of range. */
int date_days_in_month(int y, int m);
/* 1 if y-m-d is a real calendar date with y from 1 to 9999. */
int date_valid(int y, int m, int d);

/* A date "YYYY-MM-DD" that is on the calendar (2026-02-30 is not). E_INVALID naming field,
 * saying why (not the shape, or not a real date) and how to write one. */
int parse_date(const char *s, const char *field, int *y, int *m, int *d, struct err *e);

/* The other way, for exports that write millions of numbers: v in decimal as "%lld"
 * writes it, into buf (at least 21 bytes), NUL-terminated. Returns the length. */
/* The value of a hexadecimal digit (0-9, a-f, A-F), -1 for any other character. */
int parse_hex_digit(int c);
size_t fmt_int(int64_t v, char *buf);
/* "YYYY-MM-DD HH:MM:SS" of y, m, d, h, mi, s into buf (at least 20 bytes), as "%04d-%02d-%02d
 * %02d:%02d:%02d" writes it for a year from 0 to 9999 (snprintf's output otherwise). */
void fmt_datetime(int y, int m, int d, int h, int mi, int s, char *buf, size_t n);

#endif
