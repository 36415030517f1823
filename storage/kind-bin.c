/* kind-bin.c — the mask bins of the registry and their collections: a bin code is unique
 * among the live bins; a collection names a bin of the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/store.h"
#include "storage/validate.h"

static const struct rec_field bin_fields[] = {
    KIND_TEXT(bin, code, FF_REQUIRED, N_("bin code")),
    KIND_TEXT(bin, place, FF_REQUIRED, N_("place")),
};
static const struct rec_field collection_fields[] = {
    KIND_TEXT(collection, bin, FF_REQUIRED, N_("bin code")),
    KIND_NUM(collection, bags, FT_INT, FF_REQUIRED, N_("bags")),
    {"weight_kg", FT_DECI, KIND_OFF(collection, weight), 0, 0, NULL, N_("weight kg"), NULL},
    KIND_NUM(collection, fill, FT_INT, 0, N_("fill %")),
    KIND_TEXT(collection, disinfectant, 0, N_("disinfectant")),
    KIND_TEXT(collection, seal, 0, N_("seal number")),
    KIND_TEXT(collection, handed_to, 0, N_("handed to")),
};

/* Whether a live bin with code is in the registry (other than the record except_root):
 * LOOKUP_YES, LOOKUP_NO, or LOOKUP_ERROR with e set. */
static int
live_bin(struct logbook *lb, const char *code, int64_t except_root, struct err *e)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, found = LOOKUP_NO;
	struct record *r = malloc(sizeof *r);

	if (r == NULL) {
		err_set(e, E_IO, "%s", _("out of memory"));
		return LOOKUP_ERROR;
	}
	if (store_prepare(lb,
		"SELECT " STORE_COLS " FROM records r WHERE r.kind = 'bin' "
		"AND " STORE_LATEST " AND r.action <> 'delete' AND r.root_seq <> ?1",
		&st, e) != E_OK) {
		free(r);
		return LOOKUP_ERROR;
	}
	sqlite3_bind_int64(st, 1, except_root);
	while (found == LOOKUP_NO && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_row_record(lb, st, 0, r, NULL) == E_OK &&
		    strcmp(r->u.bin.code, code) == 0)
			found = LOOKUP_YES;
	if (found == LOOKUP_NO && rc != SQLITE_DONE) {
		store_sqlite_err(lb->db, rc, e);
		found = LOOKUP_ERROR;
	}
	sqlite3_finalize(st);
	free(r);
	return found;
}

#define LOOKUP_ERR_CODE(e) ((e) != NULL && (e)->code != E_OK ? (e)->code : E_IO)

static int
bin_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	char norm[REC_WORD];
	int rc;

	if (validate_fold(r->u.bin.code, norm, sizeof norm) <= 0)
		return err_set(e, E_INVALID, "%s", _("code: required"));
	if (strcmp(r->u.bin.code, norm) != 0) {
		char msg[REC_WORD + 96];

		/* B-01 is kept as B01: said, so that nobody looks for what was typed */
		snprintf(msg, sizeof msg,
		    _("Bin code kept as %s (capitals, no spaces or "
		      "dashes)."),
		    norm);
		rule_notice(n, msg);
	}
	snprintf(r->u.bin.code, sizeof r->u.bin.code, "%s", norm);
	if ((rc = live_bin(c->lb, norm, c->self, e)) != LOOKUP_NO)
		return rc == LOOKUP_ERROR
		    ? LOOKUP_ERR_CODE(e)
		    : err_set(e, E_INVALID, _("code: bin %s is already in the registry"), norm);
	return E_OK;
}

static int
collection_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_collection *co = &r->u.collection;
	char norm[REC_WORD];
	int rc;

	(void)n;
	if (validate_fold(co->bin, norm, sizeof norm) <= 0)
		return err_set(e, E_INVALID, "%s", _("bin: required"));
	snprintf(co->bin, sizeof co->bin, "%s", norm);
	if ((rc = live_bin(c->lb, norm, 0, e)) != LOOKUP_YES)
		return rc == LOOKUP_ERROR
		    ? LOOKUP_ERR_CODE(e)
		    : err_set(
			  e, E_INVALID, _("bin: %s is not in the registry (add bin first)"), norm);
	if (co->bags < 1 || co->bags > 1000)
		return err_set(e, E_INVALID, "%s", _("bags: must be 1 to 1000"));
	if (co->fill < 0 || co->fill > 100)
		return err_set(e, E_INVALID, "%s", _("fill: a percentage, 0 to 100"));
	return E_OK;
}

#define EVERY_STATION ((1 << STATION_TRAFFIC) | (1 << STATION_GATE) | (1 << STATION_TRIAGE))

/* What a one-line row shows. */
static const char *const bin_summary[] = {"code", "place", NULL};

const struct kind_entry kind_bin = {
    .name = "bin",
    .label = N_("Bin"),
    .fields = KIND_FIELDS(bin_fields),
    .stations = EVERY_STATION,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE,
    .rules = bin_rules,
    .summary = bin_summary,
};

/* What a one-line row shows. */
static const char *const collection_summary[] = {"bin", "bags", "weight_kg", "seal", NULL};

static void
collection_tally(const struct record *r, struct report *rep)
{
	(void)r;
	rep->bins_collected++;
}

const struct kind_entry kind_collection = {
    .name = "collection",
    .label = N_("Collection"),
    .fields = KIND_FIELDS(collection_fields),
    .stations = EVERY_STATION,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE,
    .rules = collection_rules,
    .summary = collection_summary,
    .tally = collection_tally,
};
