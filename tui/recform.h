/* recform.h — a form made from a record kind's field table (storage/fields.h), checked as
 * you type with the validators (ID check character with birth date and sex, plate and its
 * province, phone, temperature) and with storage's live verdict of the kind's rules
 * (watchlist, high-risk, fever, quota, triage route), and turned back into a record. */
#ifndef OUTPOST_RECFORM_H
#define OUTPOST_RECFORM_H

#include "storage/fields.h"
#include "storage/query.h"
#include "storage/record.h"
#include "tui/form.h"

#define RECFORM_MAX 16

struct app;

struct recform {
	int kind;			/* enum rec_kind */
	struct form form;
	struct form_field ff[RECFORM_MAX];
	const struct rec_field *rf[RECFORM_MAX];	/* the record field each one edits */
	struct app *app;
	int64_t recheck_of;		/* a temperature form for the recheck of this fever */
	struct record vrec;		/* what is typed so far, with the rules' computed fields */
	struct rec_notice verdict;	/* the rules' live verdict of it (storage's rec_verdict) */
	char alert[512];		/* the verdict's warnings (watchlist, flags, fever, quota) */
};

/* Makes the form of kind from its field table: every field an operator fills (not computed,
 * not a reference), except those named in skip (NULL-terminated, may be NULL). */
void recform_init(struct recform *rf, int kind, struct app *a, const char *const *skip);
/* The form index of the field named name, or -1. */
int recform_index(const struct recform *rf, const char *name);
/* Puts r's values into the form (for a correction). */
void recform_fill(struct recform *rf, const struct record *r);
/* Makes a record of the form's kind from what is typed (choices typed as prefixes are
 * completed, "365" becomes 36.5). E_INVALID naming the field if a value does not parse. */
int recform_build(struct recform *rf, struct record *r, struct err *e);
/* form_validate, except that a bad ID number counts as a warning when the form says it is
 * unverified (id_unverified set) and gives a note, as rec_add allows. Returns the first
 * field to fix or -1. */
int recform_validate(struct recform *rf);
/* Sets r's fields from the form, over what r held (a correction starts from rec_get). */
int recform_apply(struct recform *rf, struct record *r, struct err *e);
/* Reruns every check and the verdict (after an edit, settings changed, or a failed save). */
void recform_recheck(struct recform *rf);
/* Asks storage for the live verdict of what is typed (rec_verdict): fills vrec, verdict and
 * alert, marks the fields the rules flagged (watchlist, high-risk, fever) and which fields
 * the station requires now (a visitor's temperature by temp_required). No rule is here. */
void recform_verdict(struct recform *rf);

#endif
