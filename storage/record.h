/* record.h — what a checkpoint records. Every record is a row with identity (station_id,
 * seq), seq one per-station counter across all kinds; nothing is edited in place: a
 * correction is a new version superseding the previous one, a deletion a tombstone, an exit
 * an event pointing at its entry. Queries show the latest version of each record.
 *
 * Each kind is a C struct plus a table of its fields (struct rec_field) that the CLI flags,
 * the TUI forms, JSON bodies, CSV export, search and purge are all driven from. */
#ifndef OUTPOST_RECORD_H
#define OUTPOST_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/logbook.h"

enum rec_kind {
	REC_TEMP = 1,	/* temperature check, any station */
	REC_VEHICLE,	/* traffic: a vehicle passage */
	REC_RESIDENT,	/* gate: a resident going out or coming in */
	REC_VISITOR,	/* gate: a visitor's entry */
	REC_EXIT,	/* gate: a visitor's exit, ref_seq = the entry */
	REC_TRIAGE,	/* triage: a patient pre-check */
	REC_BIN,	/* a mask bin in the registry */
	REC_COLLECTION, /* a bin collection */
	REC_SIGNIN,	/* an operator signs in: opens a shift */
	REC_HANDOVER,	/* shift handover: closes a shift */
	REC_KIND_COUNT
};
/* "temp" "vehicle" "resident" "visitor" "exit" "triage" "bin" "collection" "signin" "handover" */
const char *rec_kind_name(int kind);
int rec_kind_parse(const char *s); /* -1 if unknown */

enum rec_action {
	REC_ADD = 1,	 /* a new record */
	REC_CORRECT = 2, /* a new version of ref_seq's record, with a reason */
	REC_DELETE = 3,	 /* a tombstone of ref_seq's record, with a reason */
};
const char *rec_action_name(int action); /* "add" "correct" "delete" */

/* Sizes of text fields, bytes including the NUL (UTF-8: ~3 bytes per Chinese character). */
#define REC_NAME 64
#define REC_IDNUM 24
#define REC_PHONE 24
#define REC_PLATE 16
#define REC_WORD 24  /* enum values, codes, household, pass number */
#define REC_TEXT 192 /* places, reasons, notes */
#define REC_MAX_OCCUPANTS 9

/* Temperatures and weights are tenths (int): 373 is 37.3 °C. */
struct rec_temp {
	int value;		    /* tenths °C, 320..430 */
	char method[REC_WORD];	    /* forehead|wrist|ear|oral|armpit */
	char person[REC_NAME];	    /* optional: who was measured */
	int64_t recheck_of;	    /* seq of the first reading this rechecks, 0 if none */
	char disposition[REC_WORD]; /* pass|isolated|referred|turned_back; "" = pending */
	int fever;		    /* computed: value >= threshold */
	int64_t recheck_due_ms;	    /* computed: when a fever's recheck is due, 0 if none */
};
struct rec_vehicle {
	char plate[REC_PLATE];
	char driver_name[REC_NAME];
	char driver_id_number[REC_IDNUM];
	char driver_phone[REC_PHONE];
	int occupants;			       /* 1..REC_MAX_OCCUPANTS, driver included */
	int occupant_temps[REC_MAX_OCCUPANTS]; /* tenths, one per occupant */
	char origin[REC_TEXT];
	char destination[REC_TEXT];
	char reason[REC_TEXT];
	char disposition[REC_WORD]; /* pass|turned_back|referred */
	int id_unverified;	    /* saved with a bad ID check character, see note */
	char note[REC_TEXT];
	int flagged;		    /* computed: high-risk plate prefix or origin, or fever */
	char flag_reason[REC_TEXT]; /* computed */
	int fever;		    /* computed: an occupant at/above the threshold then */
};
struct rec_resident {
	char direction[REC_WORD]; /* out|in */
	char household[REC_WORD]; /* building-unit-room, e.g. 3-2-301 */
	char pass_number[REC_WORD];
	char name[REC_NAME];  /* optional */
	int quota_exceeded;   /* computed for "out": the household's quota was used up */
	char quota[REC_WORD]; /* computed: "2/1 in 2 days" as counted at the time */
};
struct rec_visitor {
	char id_type[REC_WORD]; /* resident_id|passport|hk_macao|taiwan|other */
	char id_number[REC_IDNUM];
	char name[REC_NAME];
	char phone[REC_PHONE];
	char plate[REC_PLATE]; /* optional */
	char host[REC_WORD];   /* host household, building-unit-room */
	char reason[REC_TEXT];
	char health_code[REC_WORD]; /* green|yellow|red */
	int id_unverified;
	char note[REC_TEXT];
};
struct rec_exit {
	int64_t entry; /* seq of the visitor entry (also the record's ref_seq) */
};
struct rec_triage {
	char name[REC_NAME];
	char id_type[REC_WORD];
	char id_number[REC_IDNUM];
	char phone[REC_PHONE];
	int temp;		   /* tenths °C */
	unsigned symptoms;	   /* REC_SYMPTOM_* bits */
	unsigned epi;		   /* REC_EPI_* bits */
	char route[REC_WORD];	   /* fever_clinic|general_clinic|emergency (decided) */
	char suggested[REC_WORD];  /* computed: the route the rules suggested */
	char route_rule[REC_TEXT]; /* computed: the rule that suggested it */
	int id_unverified;
	char note[REC_TEXT];
	int fever; /* computed: temp >= the station's threshold when written */
};
enum {
	REC_SYMPTOM_FEVER = 1 << 0,
	REC_SYMPTOM_COUGH = 1 << 1,
	REC_SYMPTOM_SORE_THROAT = 1 << 2,
	REC_SYMPTOM_FATIGUE = 1 << 3,
	REC_SYMPTOM_TASTE_SMELL = 1 << 4,
	REC_SYMPTOM_DIARRHEA = 1 << 5,
	REC_SYMPTOM_DYSPNEA = 1 << 6,
	REC_SYMPTOM_CHEST_PAIN = 1 << 7,
};
enum {
	REC_EPI_HIGH_RISK_AREA = 1 << 0,    /* stayed in a high-risk area within 14 days */
	REC_EPI_CONTACT_CONFIRMED = 1 << 1, /* contact with a confirmed case */
	REC_EPI_CONTACT_SUSPECTED = 1 << 2, /* contact with a suspected case */
	REC_EPI_CLUSTER = 1 << 3,	    /* part of a cluster */
};
struct rec_bin {
	char code[REC_WORD];
	char place[REC_TEXT];
};
struct rec_collection {
	char bin[REC_WORD]; /* bin code, must be in the registry */
	int bags;
	int weight; /* tenths of kg */
	int fill;   /* percent 0..100 */
	char disinfectant[REC_TEXT];
	char seal[REC_WORD];
	char handed_to[REC_NAME];
};
struct rec_signin {
	char name[REC_NAME];
};
struct rec_handover {
	char note[REC_TEXT];
	char summary[REC_TEXT]; /* computed: counts of the shift */
};

struct record {
	/* identity and envelope, set by the store */
	char station_id[LOGBOOK_ID_LEN + 1];
	int64_t seq;
	int kind;	    /* enum rec_kind */
	int action;	    /* enum rec_action */
	int64_t ref_seq;    /* superseded / entry closed / first reading; 0 if none */
	int64_t root_seq;   /* seq of the record's first version */
	int64_t created_ms; /* UTC ms */
	int tz_min;	    /* local offset at creation */
	char operator_name[REC_NAME];
	int64_t shift;
	char reason[REC_TEXT]; /* why corrected or deleted */
	char alert[REC_TEXT];  /* watchlist match, stored with the record */
	int purged;	       /* personal fields blanked by purge */
	int deleted;	       /* in query results: the record's latest version is a tombstone */
	union {
		struct rec_temp temp;
		struct rec_vehicle vehicle;
		struct rec_resident resident;
		struct rec_visitor visitor;
		struct rec_exit exit;
		struct rec_triage triage;
		struct rec_bin bin;
		struct rec_collection collection;
		struct rec_signin signin;
		struct rec_handover handover;
	} u;
};

/* Zeroes r and sets its kind (and action REC_ADD). */
void rec_init(struct record *r, int kind);

/* ---- fields: one table per kind ---- */
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
};
struct rec_field {
	const char *name; /* JSON key, CSV column, CLI flag ("--" name with '_' → '-') */
	int type;	  /* enum rec_field_type */
	size_t off;	  /* offsetof(struct record, u.KIND.FIELD) */
	size_t size;	  /* for FT_TEXT / FT_ENUM */
	unsigned flags;	  /* FF_* */
	const char *const *choices; /* FT_ENUM / FT_FLAGS, NULL-terminated */
	const char *label;	    /* for people (translatable with _()) */
};
/* The fields of kind, *n set to their count; NULL for an unknown kind. */
const struct rec_field *rec_fields(int kind, size_t *n);
/* The field of kind named name (a '-' matches '_'), or NULL. */
const struct rec_field *rec_field_find(int kind, const char *name);
/* Sets field f of r from text (as typed on a command line or in a form); E_INVALID naming the
 * field if the text is not of its type or not one of its choices. Checks form only, not the
 * rules (rec_add does those). */
int rec_field_set(struct record *r, const struct rec_field *f, const char *text, struct err *e);
/* Formats field f of r as text into buf (n bytes); "" for empty text, 0 seq, empty lists. */
void rec_field_format(const struct record *r, const struct rec_field *f, char *buf, size_t n);

/* ---- writing ----
 * Each call below is one transaction; called inside the caller's own (BEGIN … COMMIT on
 * logbook_db), it is a savepoint of it, so many records can be stored in one commit. */
/* What rec_add and rec_correct say beyond success: warnings to show (the record is stored). */
struct rec_notice {
	int flagged;	    /* vehicle flagged high-risk / fever */
	int quota_exceeded; /* resident quota used up */
	int alert;	    /* watchlist match: r->alert says which */
	int fever;	    /* temp/triage at or above the threshold: recheck due */
	int64_t recheck_due_ms;
	int unknown_plate; /* a plate of unknown format (warned, stored) */
	char text[512];	   /* all of the above as sentences for a person, "" if none */
};
/* Stores a new record r (kind and fields set; envelope ignored) after checking it: the kind is
 * allowed at this station, required fields are present, every field valid (ID check
 * character, plate, phone, temperature 32.0–43.0 else "re-measure"), the references resolve
 * (a recheck's first reading is a fever whose recheck is due; a collection's bin exists).
 * Computes the computed fields, matches the watchlist, stamps the time (clock_now_ms),
 * operator and shift, takes the next seq. On success r holds the stored record (seq, root_seq,
 * computed fields) and notice (may be NULL) the warnings. Invalid: E_INVALID with a message
 * naming the field and what is wrong, nothing stored. A bad ID check character is accepted
 * only when the record's id_unverified is set and its note is not empty. */
int rec_add(struct logbook *lb, struct record *r, struct rec_notice *notice, struct err *e);
/* Stores a visitor's exit for the visitor entry ref (any version's seq); E_INVALID if ref is
 * not a visitor entry, is deleted, or already has an exit. out (may be NULL) gets the exit. */
int rec_exit(struct logbook *lb, int64_t ref, struct record *out, struct err *e);
/* Stores r as a new version of the record ref (any version's seq) with reason (required):
 * r holds the full corrected content (start from rec_get). Same checks as rec_add; the
 * computed fields are computed again except the ones fixed at creation (quota, recheck due);
 * a recheck's recheck_of cannot change. Exits, sign-ins and handovers are not corrected. */
int rec_correct(struct logbook *lb, int64_t ref, struct record *r, const char *reason,
    struct rec_notice *notice, struct err *e);
/* Stores a tombstone for the record ref with reason (required); *seq (may be NULL) gets its seq. */
int rec_delete(struct logbook *lb, int64_t ref, const char *reason, int64_t *seq, struct err *e);

/* ---- reading ---- */
/* The latest version of the record that version seq belongs to (r->deleted set if it is a
 * tombstone; then r holds the last content before it). E_INVALID if no such record. */
int rec_get(struct logbook *lb, int64_t seq, struct record *r, struct err *e);
/* Callback for lists: return 0 to go on, nonzero to stop (rec_* then returns E_OK). r is valid
 * only during the call. */
typedef int (*rec_cb)(const struct record *r, void *arg);

struct rec_query {
	int kind;	  /* 0 = every kind */
	int64_t since_ms; /* 0 = no lower bound (created_ms >= since) */
	int64_t until_ms; /* 0 = no upper bound (created_ms < until) */
	int64_t shift;	  /* 0 = any shift */
	int history;	  /* every version and tombstone, in seq order, instead of latest */
	int with_deleted; /* include deleted records (latest mode) */
	int limit;	  /* 0 = no limit */
};
/* Latest versions of the records matching q (by their first version's time), in seq order;
 * with q->history, every row. */
int rec_list(struct logbook *lb, const struct rec_query *q, rec_cb cb, void *arg, struct err *e);
/* Every version of the record seq belongs to, oldest first (tombstone last if deleted). */
int rec_history(struct logbook *lb, int64_t seq, rec_cb cb, void *arg, struct err *e);
/* Prefix search over ID number, plate, phone and name of the latest versions, folded as
 * validate_fold does (case, full-width, spaces and dashes ignored), newest record first, at
 * most limit records (0 = 50, at most 256). Indexed: a bounded B-tree range, or for a very
 * common prefix a walk down the records newest first, so it can run on every keystroke. */
int rec_search(
    struct logbook *lb, const char *prefix, int limit, rec_cb cb, void *arg, struct err *e);

/* Gate: visitors whose entry (latest version, not deleted) has no exit, oldest first. */
int rec_inside_now(struct logbook *lb, rec_cb cb, void *arg, struct err *e);
/* How many visitors are inside now (for a status bar); 0 on error. */
int64_t rec_inside_count(struct logbook *lb);
/* Fevers (temp records at/above threshold) without a recheck yet, oldest first; r->u.temp
 * .recheck_due_ms says when each is due. Reads only those (a table kept on write). */
int rec_rechecks_pending(struct logbook *lb, rec_cb cb, void *arg, struct err *e);

/* Gate outing quota of household as of now: out-passages counted over the current local
 * calendar day and the days-1 before it (setting outing_quota "persons/days"). Each passage
 * keeps the local day it was made on (its own offset), so a clock or zone change moves none;
 * passages dated after now (a clock set back) count too. */
struct quota_status {
	int used;     /* out-passages counted */
	int persons;  /* allowed per period */
	int days;     /* period length, calendar days */
	int exceeded; /* used >= persons: one more would exceed */
};
int rec_quota(struct logbook *lb, const char *household, struct quota_status *q, struct err *e);

/* Bins of the registry with their last collection; overdue when not collected within
 * bin_window_hours (from registration if never collected). */
struct bin_status {
	int64_t seq; /* the bin record */
	char code[REC_WORD];
	char place[REC_TEXT];
	int64_t last_ms; /* last collection, 0 if never */
	int64_t due_ms;	 /* when it is (or was) due */
	int overdue;
};
int rec_bins(
    struct logbook *lb, int (*cb)(const struct bin_status *b, void *arg), void *arg, struct err *e);

#endif
