/* list.h — a selectable list of records shown with summary rows, shared by the inside-now
 * and search screens: Up/Down/PgUp/PgDn move, the view follows the selection. */
#ifndef OUTPOST_LIST_H
#define OUTPOST_LIST_H

#include "storage/query.h"
#include "storage/record.h"

#define LIST_MAX 200

struct app;

struct reclist {
	struct record rows[LIST_MAX];
	int n, sel, top;
	int more;	/* there were more than LIST_MAX */
};

/* Empties the list (wiping its rows). */
void reclist_clear(struct reclist *l);
/* A rec_cb that appends to the list (arg is the list). */
int reclist_add(const struct record *r, void *arg);
/* Handles a movement key; returns 1 if it was one. */
int reclist_key(struct reclist *l, int key, int page);
/* Draws rows from y to bottom. */
void reclist_draw(struct app *a, struct reclist *l, int y, int bottom);
/* The selected record or NULL. */
const struct record *reclist_selected(const struct reclist *l);

#endif
