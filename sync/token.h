/* token.h — the one-line enrollment token outpost-hub prints and a station types in:
 * "OUTPOST1." then base64url of the hub's public key, a one-time enrollment secret key
 * and the hub's endpoint, with a 4-byte checksum so a mistyped token is caught at once. */
#ifndef OUTPOST_TOKEN_H
#define OUTPOST_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define TOKEN_PREFIX "OUTPOST1."
#define TOKEN_ENDPOINT_MAX 200
#define TOKEN_MAX 400	/* characters, with the NUL */

struct token {
	uint8_t hub_pk[32];
	uint8_t enroll_sk[32];	/* a CURVE secret key the hub accepts once */
	char endpoint[TOKEN_ENDPOINT_MAX + 1];
};

/* Writes t as a token into out (TOKEN_MAX bytes). E_INVALID if the endpoint is too long. */
int token_encode(const struct token *t, char *out, struct err *e);
/* Parses s (surrounding spaces allowed); E_INVALID "not an enrollment token" or "damaged
 * token (mistyped?)". */
int token_decode(const char *s, struct token *t, struct err *e);

#endif
