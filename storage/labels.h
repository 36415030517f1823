/* labels.h — stored codes and computed texts as people read them, in the interface's
 * language (gettext): the one place the TUI, the CLI's tables and CSV label columns, and
 * reports take them from. Codes stay what is stored and exported. All returned strings are
 * static (the catalog's or the table's); buffers are the caller's. */
#ifndef OUTPOST_LABELS_H
#define OUTPOST_LABELS_H

#include <stddef.h>

#include "storage/fields.h"
#include "storage/record.h"

/* The label of a stored code (a choice of an enum or flags field, a record or station
 * kind's name, an action, a stored triage rule): "sore throat" / "咽痛" for sore_throat.
 * A code without a label comes back as given ("" for NULL). */
const char *label_code(const char *code);
/* The same, short enough for a list column (at most 12 columns in English and Chinese):
 * "general" for general_clinic. */
const char *label_brief(const char *code);

/* A record kind (enum rec_kind), a station kind (enum station_kind), an action (REC_ADD..):
 * "temperature" / "体温", "compound gate" / "门岗", "corrected" / "更正". */
const char *label_kind(int kind);
const char *label_station_kind(int kind);
const char *label_action(int action);

/* A station kind from what a person types: its code (gate), its English label or the
 * Chinese name (门岗, 交通卡口, 预检分诊; also 卡口, 分诊, 预检). -1 if none. */
int label_station_kind_parse(const char *text);

/* Field f of r as people read it (n bytes into buf): choices through their labels, a list
 * of flags as "fever, cough", yes/no for booleans, the computed texts (triage rule, why
 * flagged, handover summary) in the interface's language; brief: the short labels. */
void label_field(const struct record *r, const struct rec_field *f, int brief, char *buf,
    size_t n);
/* A vehicle's stored flag_reason ("high-risk plate prefix 鄂A; fever 38.5") as people read
 * it, the fever first; brief for a narrow column ("fever 38.5 °C, plate 鄂A"). */
void label_flags(const char *stored, int brief, char *buf, size_t n);
/* A record's stored watchlist alert ("watchlist plate (plate): stolen") as people read it. */
void label_alert(const char *stored, char *buf, size_t n);
/* A handover's stored summary ("records 12; fevers 1 (…") as people read it. */
void label_summary(const char *stored, char *buf, size_t n);

#endif
