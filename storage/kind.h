/* kind.h — private to storage/: one entry per kind of record (as tmux gives each command a
 * cmd_entry): its name and label, its field table, the stations that record it, and its
 * rules. The rules are written once here and serve both rec_add/rec_correct (which refuse
 * what breaks them) and rec_verdict (the live verdict of a half-filled form). */
#ifndef OUTPOST_KIND_H
#define OUTPOST_KIND_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/fields.h"
#include "storage/record.h"
#include "storage/report.h"

/* For the field tables of the kinds. (clang-format 14 breaks a braced initializer in a
 * macro apart and puts its #f in column 0.) */
/* clang-format off */
#define KIND_OFF(k, f) offsetof(struct record, u.k.f)
#define KIND_SZ(k, f) sizeof(((struct record *)0)->u.k.f)
#define KIND_TEXT(k, f, fl, label) {#f, FT_TEXT, KIND_OFF(k, f), KIND_SZ(k, f), fl, NULL, label, NULL}
#define KIND_ENUM(k, f, fl, ch, label) {#f, FT_ENUM, KIND_OFF(k, f), KIND_SZ(k, f), fl, ch, label, NULL}
#define KIND_ENUM_DEF(k, f, fl, ch, label, def)                                                     \
	{#f, FT_ENUM, KIND_OFF(k, f), KIND_SZ(k, f), fl, ch, label, def}
#define KIND_NUM(k, f, type, fl, label) {#f, type, KIND_OFF(k, f), 0, fl, NULL, label, NULL}
/* When a fever's recheck is due (computed). */
#define KIND_DUE(k)                                                                                \
	{"recheck_due", FT_SEQ, KIND_OFF(k, recheck_due_ms), 0, FF_COMPUTED | FF_MS, NULL,          \
	    N_("recheck due"), NULL}
/* clang-format on */
#define KIND_FIELDS(t) t, sizeof t / sizeof t[0]
/* Choice lists more than one kind uses (kind-visitor.c). */
extern const char *const kind_id_types[];

/* What the rules of a kind are given. */
struct rule_ctx {
	struct logbook *lb;
	const struct record *prev; /* the version being corrected, NULL on add */
	int64_t base_ms;	   /* the record's first creation time: windows count from it */
	int64_t self;		   /* the record's root_seq when corrected, else 0 */
	int thr;		   /* the fever threshold now, tenths */
	int kind;		   /* the record's kind */
	const char *temp_field;	   /* the kind's temperature field, marked on a fever */
};

enum {
	KE_ADD = 1 << 0,     /* `outpost add KIND` and the TUI's forms make it */
	KE_CORRECT = 1 << 1, /* may be corrected */
	KE_DELETE = 1 << 2,  /* may be deleted */
	KE_FEVER = 1 << 3,   /* carries temperatures: "fever" and "recheck_due" fields */
};

struct kind_entry {
	const char *name;  /* stored kind name, CLI word */
	const char *label; /* for people, N_() */
	const struct rec_field *fields;
	size_t nfields;
	unsigned stations; /* bit 1 << station kind for each station that records it */
	unsigned flags;	   /* KE_* */
	/* The kind's rules over r (fields set and form-checked): fills the computed fields and
	 * the notice first, then refuses what must not be stored (E_INVALID naming the field).
	 * NULL: no rules. */
	int (*rules)(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e);
	/* Whether field (not FF_REQUIRED in the table) is required of r at this station now,
	 * e.g. a visitor's temperature by the setting temp_required. NULL: never. */
	int (*required)(struct logbook *lb, const struct record *r, const struct rec_field *f);
	/* The highest temperature r carries (tenths), 0 if none. NULL: none. */
	int (*temp_of)(const struct record *r);
	/* The fields a one-line row of r shows, in order (up to 4), NULL-terminated. */
	const char *const *summary;
	/* Whether one of the kind's rules flagged r (a high-risk vehicle, a resident over the
	 * outing quota). NULL: its rules flag nothing. */
	int (*flagged)(const struct record *r);
	/* Adds what r counts for in a report beyond what every record does (its kind, hour,
	 * alert, fever): a release despite fever, a recheck's disposition, a route override,
	 * a flag, an outing over quota, a collection (report.c). NULL: nothing more. */
	void (*tally)(const struct record *r, struct report *rep);
};

extern const struct kind_entry kind_temp, kind_vehicle, kind_resident, kind_visitor, kind_exit,
    kind_triage, kind_bin, kind_collection, kind_signin, kind_handover;

/* The entry of kind, or NULL. */
const struct kind_entry *kind_entry(int kind);

/* ---- helpers the kinds share (rules.c) ---- */
/* Appends sentence s to n->text (n may be NULL). */
void rule_notice(struct rec_notice *n, const char *s);
/* Marks field name of r's kind as flagged by a rule in n->rule_fields (n may be NULL). */
void rule_field(struct rec_notice *n, int kind, const char *name);
/* Whether plate starts with one of the setting high_risk_plates' prefixes (into prefix). */
int rule_high_risk_plate(struct rule_ctx *c, const char *plate, char *prefix, size_t n);
/* Whether s contains one of the comma-separated words of csv. */
int rule_in_list(const char *csv, const char *s);
/* Checks and normalizes a household "building-unit-room" (upper case); E_INVALID naming it. */
int rule_household(const char *name, char *s, struct err *e);
/* A fever taken with a record of any kind: sets *fever from tenths against the threshold;
 * a first fever gets its recheck due time (*due_ms) and the alert sentence in n. */
void rule_fever(struct rule_ctx *c, const char *who, int tenths, int *fever, int64_t *due_ms,
    struct rec_notice *n);
/* Whether the station requires a temperature with a passage of this kind and direction
 * (setting temp_required: visitors|entries|all|off). */
int rule_temp_required(struct logbook *lb, int kind, const char *direction);
/* E_INVALID for a temperature outside 32.0–43.0 (re-measure); 0 is "not given". */
int rule_temp_range(const char *name, int tenths, struct err *e);

#endif
