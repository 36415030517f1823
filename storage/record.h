/* record.h — what a checkpoint records. Every record is a row with identity (station_id,
 * seq), seq one per-station counter across all kinds; nothing is edited in place: a
 * correction is a new version superseding the previous one, a deletion a tombstone, an exit
 * an event pointing at its entry. Queries show the latest version of each record.
 *
 * Each kind is a C struct here plus one entry in storage/kind-KIND.c: its table of fields
 * (storage/fields.h) that the CLI flags, the TUI forms, JSON bodies, CSV export, search and
 * purge are driven from, and its rules, which rec_add and rec_verdict below both apply.
 * Reading is in query.h; inside now, rechecks, quota and bins have their own headers. */
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
	char override_reason[REC_TEXT]; /* why a fever was released as pass */
	int fever;		    /* computed: value >= threshold */
	int64_t recheck_due_ms;	    /* computed: when a fever's recheck is due, 0 if none */
};
struct rec_vehicle {
	char plate[REC_PLATE];
	char driver_name[REC_NAME];
	char driver_id_number[REC_IDNUM];
	char driver_phone[REC_PHONE];
	int driver_temp;		       /* tenths */
	int occupants;			       /* passengers besides the driver, 0..9 */
	int occupant_temps[REC_MAX_OCCUPANTS]; /* tenths, one per passenger */
	char origin[REC_TEXT];
	char destination[REC_TEXT];
	char reason[REC_TEXT];
	char disposition[REC_WORD]; /* pass|turned_back|referred */
	int id_unverified;	    /* saved with a bad ID check character, see note */
	char note[REC_TEXT];
	int flagged;		    /* computed: high-risk plate prefix or origin, or fever */
	char flag_reason[REC_TEXT]; /* computed */
	int fever;		    /* computed: driver or a passenger at/above the threshold */
	int64_t recheck_due_ms;	    /* computed: when the fever's recheck is due, 0 if none */
};
struct rec_resident {
	char direction[REC_WORD]; /* out|in */
	char household[REC_WORD]; /* building-unit-room, e.g. 3-2-301 */
	char pass_number[REC_WORD];
	char name[REC_NAME];  /* optional */
	int temp;	      /* tenths, 0 = not taken (see setting temp_required) */
	int fever;	      /* computed */
	int64_t recheck_due_ms; /* computed */
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
	int temp;		    /* tenths, 0 = not taken (see setting temp_required) */
	int id_unverified;
	char note[REC_TEXT];
	int fever;		    /* computed */
	int64_t recheck_due_ms;	    /* computed */
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
	char override_reason[REC_TEXT]; /* why a route below the suggestion was chosen */
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
	int64_t created_ms; /* UTC ms, of this version */
	int64_t first_ms;   /* UTC ms of the first version: the record's time (set by reads) */
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
	int released;	   /* a fever released as pass, with its override reason */
	int overridden;	   /* a triage route below the suggestion, with its reason */
	int needs_reason;  /* rec_verdict: saving needs override_reason (see problem) */
	char suggested[REC_WORD]; /* triage: the route the rules suggest */
	char rule[REC_TEXT];	  /* triage: the rule that suggests it */
	unsigned watch_fields; /* bit i: field i of the kind's table is on the watchlist */
	unsigned rule_fields;  /* bit i: a rule flagged field i (high-risk plate, fever, quota …) */
	int64_t inside_seq; /* visitor: the same ID number is inside on this entry (refused) */
	char problem[256]; /* rec_verdict: why saving would be refused now, "" if nothing */
	char text[512];	   /* all of the above as sentences for a person, "" if none */
};
/* The live verdict of a half-filled record r (fields set from what is typed so far; nothing
 * is stored): r's computed fields are filled (flags, fever, suggested route, quota) and n
 * gets the warnings, the triage suggestion and its rule, and in n->problem the first rule
 * that would refuse it now. The same rules as rec_add, so a form never needs its own.
 * Returns E_OK, or an error only if the logbook could not be read. */
int rec_verdict(struct logbook *lb, struct record *r, struct rec_notice *n, struct err *e);
/* The label of kind for people ("Temperature", "Visitor" … translated), "?" if unknown. */
const char *rec_kind_label(int kind);
/* Whether kind carries temperatures and so fevers (temp, vehicle, resident, visitor, triage). */
int rec_kind_has_fever(int kind);
/* The fields a one-line row of a record of kind shows, in order (up to 4), NULL-terminated;
 * NULL for an unknown kind. */
const char *const *rec_kind_summary(int kind);
/* Whether one of its kind's rules flagged r (a high-risk vehicle, a resident over quota). */
int rec_flagged(const struct record *r);
/* The fever r carries (its computed fever flag), its highest temperature in tenths and the
 * time its recheck is due (0 if none). Returns whether r is a fever. */
int rec_fever(const struct record *r, int *tenths, int64_t *due_ms);
/* Whether the station kind records this kind of record. */
int rec_kind_allowed(int station_kind, int kind);
/* Stores a new record r (kind and fields set; envelope ignored) after checking it: the kind is
 * allowed at this station, required fields are present, every field valid (ID check
 * character, plate, phone, temperature 32.0–43.0 else "re-measure"), the references resolve
 * (a recheck's first reading is a fever of any kind whose recheck is due; a collection's bin
 * exists), and the kind's rules (its entry in kind-*.c): a fever released as pass and a
 * triage route below the suggestion need override_reason (notice->needs_reason), a visitor
 * already inside is refused (notice->inside_seq), a passage's temperature is required as
 * temp_required says. Computes the computed fields, matches the watchlist, stamps the time (clock_now_ms),
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

#endif
