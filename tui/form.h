/* form.h — a form: labelled fields with a cursor that Tab/Enter/arrows move, a per-field
 * check run as you type, and errors shown beside the field. Contents are never discarded
 * because of an error: only form_clear empties a form. Pure: no curses. */
#ifndef OUTPOST_FORM_H
#define OUTPOST_FORM_H

#include "tui/field.h"
#include "tui/keys.h"

#define FORM_NOTE_MAX 192

/* What a field's check found; the numbers match enum validate_status. */
enum form_state { FORM_OK = 0, FORM_WARN = 1, FORM_BAD = 2 };

struct form_field;
/* Looks at the field's text and fills ff->note (shown beside it; never the personal data
 * itself) and returns a form_state. ctx is the form's. */
typedef int (*form_check_fn)(struct form_field *ff, const char *text, void *ctx);

struct form_field {
	const char *label;	/* untranslated (N_()); translated when drawn */
	struct field f;
	int required;
	form_check_fn check;	/* NULL: anything goes */
	int state;		/* enum form_state, from the last check */
	char note[FORM_NOTE_MAX];
	char hint[FORM_NOTE_MAX];	/* shown (dim) while the field has the cursor and no note */
	int touched;		/* edited or left once: only then is an empty required field
				 * an error, so a fresh form is not all red */
	int replace;		/* holds a default: the first character typed replaces it */
};

struct form {
	struct form_field *fields;
	int n;
	int cur;
	void *ctx;		/* passed to every check */
	int inactive;		/* drawn without the cursor (another form has it) */
};

/* What form_key did with a key. */
enum form_result {
	FORM_IGNORED = 0,	/* not a form key: the screen may use it */
	FORM_EDITED,		/* the current field changed (and was checked) */
	FORM_MOVED,		/* cursor moved within the field or to another field */
	FORM_SUBMIT,		/* Enter on the last field */
	FORM_CANCEL,		/* Esc */
	FORM_REFUSED,		/* a character the field cannot take (full, or not allowed):
				 * nothing changed; the screen rings and says so */
};

/* Sets up fields[0..n-1] (each needs label, max, flags; the rest is reset). */
void form_init(struct form *fm, struct form_field *fields, int n, void *ctx);
/* Adds a field spec: label, most characters, field flags, required, check. */
void form_field_init(struct form_field *ff, const char *label, size_t max, int flags,
    int required, form_check_fn check);

/* Handles one key (see tui/keys.h for the encoding). Typing goes to the current field;
 * Tab/Down/Enter move on, Shift-Tab/Up back, Enter on the last field submits, Esc
 * cancels. */
int form_key(struct form *fm, int key);

/* Runs every check; marks every field touched. Returns the index of the first field that
 * is FORM_BAD or required and empty (and moves the cursor there), or -1 if the form may
 * be saved. */
int form_validate(struct form *fm);
/* Reruns the check of field i and returns its state. */
int form_check_field(struct form *fm, int i);

/* The UTF-8 text of field i into out; returns out. */
const char *form_text(const struct form *fm, int i, char *out, size_t outsz);
/* Empties every field and note; the cursor goes to the first field. */
void form_clear(struct form *fm);
/* Moves the cursor to field i. */
void form_focus(struct form *fm, int i);

/* The editing keys of every form, for the help screen. */
extern const struct key_binding form_keys_help[];

#endif
