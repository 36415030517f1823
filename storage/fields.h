/* fields.h — the fields of each kind of record as a table (struct rec_field): the CLI
 * flags, the TUI forms, JSON bodies, CSV export, search and purge are all driven from it.
 * Implemented in fields.c; each kind's table is in its storage/kind-*.c. */
#ifndef OUTPOST_FIELDS_H
#define OUTPOST_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

/* Choice names of the triage symptom and epidemiological history flags (kind-triage.c). */
extern const char *const rec_symptom_names[];
extern const char *const rec_epi_names[];

enum rec_field_type {
	FT_TEXT,      /* char[size] */
	FT_INT,	      /* int */
	FT_SEQ,	      /* int64_t, a reference to another record */
	FT_DECI,      /* int tenths, shown "37.3" */
	FT_DECI_LIST, /* int[REC_MAX_OCCUPANTS] tenths, count from the field named by list_count */
	FT_ENUM,      /* char[size], one of choices */
	FT_FLAGS,     /* unsigned bits, names in choices (bit i = choices[i]), shown "a,b" */
	FT_BOOL,      /* int 0/1 */
};
enum {
	FF_REQUIRED = 1 << 0, /* must be given on add */
	FF_PERSONAL = 1 << 1, /* blanked by purge */
	FF_COMPUTED = 1 << 2, /* set by the store, not by the operator */
	FF_IDNUM = 1 << 3,    /* an ID number: validated, searched, watchlist-matched */
	FF_PLATE = 1 << 4,    /* a plate: validated, searched, watchlist-matched */
	FF_PHONE = 1 << 5,    /* a phone number: validated, searched */
	FF_NAME = 1 << 6,     /* a person's name: searched */
	FF_MS = 1 << 7,	      /* an FT_SEQ-sized int64 that is a time in ms */
	FF_TEMP = 1 << 8,     /* FT_DECI / FT_DECI_LIST: a body temperature (32.0–43.0) */
};
struct rec_field {
	const char *name; /* JSON key, CSV column, CLI flag ("--" name with '_' → '-') */
	int type;	  /* enum rec_field_type */
	size_t off;	  /* offsetof(struct record, u.KIND.FIELD) */
	size_t size;	  /* for FT_TEXT / FT_ENUM */
	unsigned flags;	  /* FF_* */
	const char *const *choices; /* FT_ENUM / FT_FLAGS, NULL-terminated */
	const char *label;	    /* for people (translatable with _()) */
	const char *def;	    /* the value an empty field takes on add, NULL if none */
};
/* The fields of kind, *n set to their count; NULL for an unknown kind. */
const struct rec_field *rec_fields(int kind, size_t *n);
/* The field of kind named name (a '-' matches '_'), or NULL. */
const struct rec_field *rec_field_find(int kind, const char *name);
/* Whether field f must be given for r at this station now: FF_REQUIRED, or a rule of the
 * kind (a passage's temperature, by the setting temp_required and r's direction). */
int rec_field_required(struct logbook *lb, const struct record *r, const struct rec_field *f);
/* Sets field f of r from text (as typed on a command line or in a form); E_INVALID naming the
 * field if the text is not of its type or not one of its choices. Checks form only, not the
 * rules (rec_add does those). */
int rec_field_set(struct record *r, const struct rec_field *f, const char *text, struct err *e);
/* Formats field f of r as text into buf (n bytes); "" for empty text, 0 seq, empty lists. */
void rec_field_format(const struct record *r, const struct rec_field *f, char *buf, size_t n);

#endif
