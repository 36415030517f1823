/* kind-events.c — the records no form makes: a visitor's exit (an event pointing at the
 * entry, made by rec_exit), an operator's sign-in that opens a shift and the handover that
 * closes it (made by logbook_signin and logbook_handover in shift.c). */
#include "storage/fields.h"
#include "storage/kind.h"

static const struct rec_field exit_fields[] = {
    KIND_NUM(exit, entry, FT_SEQ, FF_REQUIRED, N_("entry")),
};
static const struct rec_field signin_fields[] = {
    KIND_TEXT(signin, name, FF_REQUIRED, N_("operator")),
};
static const struct rec_field handover_fields[] = {
    KIND_TEXT(handover, note, 0, N_("note")),
    KIND_TEXT(handover, summary, FF_COMPUTED, N_("summary")),
};

/* What a one-line row shows. */
static const char *const exit_summary[] = {"entry", NULL};

const struct kind_entry kind_exit = {
    .name = "exit",
    .label = N_("Exit"),
    .fields = KIND_FIELDS(exit_fields),
    .flags = KE_DELETE,
    .summary = exit_summary,
};
/* What a one-line row shows. */
static const char *const signin_summary[] = {"name", NULL};

const struct kind_entry kind_signin = {
    .name = "signin",
    .label = N_("Sign-in"),
    .fields = KIND_FIELDS(signin_fields),
    .summary = signin_summary,
};
/* What a one-line row shows. */
static const char *const handover_summary[] = {"summary", "note", NULL};

const struct kind_entry kind_handover = {
    .name = "handover",
    .label = N_("Handover"),
    .fields = KIND_FIELDS(handover_fields),
    .summary = handover_summary,
};
