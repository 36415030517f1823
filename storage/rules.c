/* rules.c — what the rules of several kinds share: a fever taken with any record (the same
 * threshold, recheck window and alert everywhere), whether a passage needs a temperature,
 * households, lists of words from the settings. Each kind's own rules are in kind-*.c. */
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/store.h"
#include "storage/validate.h"

void
rule_notice(struct rec_notice *n, const char *s)
{
	size_t len;

	if (n == NULL)
		return;
	len = strlen(n->text);
	snprintf(n->text + len, sizeof n->text - len, "%s%s", len ? " " : "", s);
}

void
rule_field(struct rec_notice *n, int kind, const char *name)
{
	const struct rec_field *f = rec_field_find(kind, name), *all;
	size_t count;

	if (n == NULL || f == NULL)
		return;
	all = rec_fields(kind, &count);
	n->rule_fields |= 1u << (f - all);
}

int
rule_in_list(const char *csv, const char *s)
{
	char buf[1024], *tok, *save;

	snprintf(buf, sizeof buf, "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok != '\0' && strstr(s, tok) != NULL)
			return 1;
	}
	return 0;
}

int
rule_household(const char *name, char *s, struct err *e)
{
	int parts = 1, len = 0;
	char *p;

	/* validate_fold drops '-': check the shape on the typed text. */
	for (p = s; *p != '\0'; p++) {
		if (*p == '-') {
			if (len == 0)
				break;
			parts++;
			len = 0;
		} else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')) {
			len++;
		} else {
			break;
		}
	}
	if (*p != '\0' || parts != 3 || len == 0)
		return err_set(e, E_INVALID,
		    _("%s: write the household as building-unit-room, e.g. 3-2-301"), name);
	for (p = s; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	return E_OK;
}

void
rule_fever(struct rule_ctx *c, const char *who, int tenths, int *fever, int64_t *due_ms,
    struct rec_notice *n)
{
	char when[64], msg[256];

	*fever = tenths != 0 && tenths >= c->thr;
	if (due_ms != NULL)
		*due_ms = 0;
	if (!*fever)
		return;
	if (n != NULL)
		n->fever = 1;
	if (n != NULL && c->temp_field != NULL)
		rule_field(n, c->kind, c->temp_field);
	if (due_ms == NULL) {
		snprintf(msg, sizeof msg, _("Fever: %d.%d °C."), tenths / 10, tenths % 10);
		rule_notice(n, msg);
		return;
	}
	*due_ms = c->base_ms + (int64_t)settings_get_int(c->lb, "recheck_minutes") * 60000;
	if (n == NULL)
		return;
	n->recheck_due_ms = *due_ms;
	clock_format(*due_ms, clock_tz_min(*due_ms), when, sizeof when);
	if (who != NULL)
		snprintf(msg, sizeof msg, _("Fever: %d.%d °C (%s). Recheck due at %s."),
		    tenths / 10, tenths % 10, who, when);
	else
		snprintf(msg, sizeof msg, _("Fever: %d.%d °C. Recheck due at %s."), tenths / 10,
		    tenths % 10, when);
	rule_notice(n, msg);
}

int
rule_temp_required(struct logbook *lb, int kind, const char *direction)
{
	char v[32];

	if (settings_get(lb, "temp_required", v, sizeof v, NULL) != E_OK)
		snprintf(v, sizeof v, "entries");
	if (kind == REC_VISITOR)
		return strcmp(v, "off") != 0;
	if (kind == REC_RESIDENT)
		return strcmp(v, "all") == 0 ||
		    (strcmp(v, "entries") == 0 && strcmp(direction, "in") == 0);
	return 0;
}

int
rule_temp_range(const char *name, int v, struct err *e)
{
	if (v != 0 && (v < TEMP_MIN_TENTHS || v > TEMP_MAX_TENTHS))
		return err_set(e, E_INVALID, _("%s: %d.%d °C is outside 32.0–43.0: re-measure"),
		    name, v / 10, v % 10);
	return E_OK;
}

int
rule_high_risk_plate(struct rule_ctx *c, const char *plate, char *prefix, size_t n)
{
	const char *pfx[32];
	char list[1024], *tok, *save;
	size_t np = 0;
	int i;

	if (plate[0] == '\0')
		return 0;
	settings_get(c->lb, "high_risk_plates", list, sizeof list, NULL);
	for (tok = strtok_r(list, ",", &save); tok != NULL && np < 32;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok != '\0')
			pfx[np++] = tok;
	}
	if ((i = validate_plate_prefix(plate, pfx, np)) < 0)
		return 0;
	snprintf(prefix, n, "%s", pfx[i]);
	return 1;
}
