/* recovery.h — the recovery key: 160 random bits written as 8 groups of 5 Crockford base32
 * characters, each group 4 data characters and 1 check character, so a typo is caught,
 * and its group named, before any slow work. */
#ifndef OUTPOST_RECOVERY_H
#define OUTPOST_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#define RECOVERY_BYTES 20
#define RECOVERY_GROUPS 8
#define RECOVERY_TEXT_LEN 47	/* 8 * 5 characters and 7 dashes */

/* Writes the typable form of bytes into text (RECOVERY_TEXT_LEN + 1 bytes). */
void recovery_encode(const uint8_t bytes[RECOVERY_BYTES], char *text);
/* Parses typed text (any case, dashes or spaces anywhere, I/L read as 1, O as 0).
 * Returns 0, -1 for the wrong number of characters or a foreign character, or the number
 * (1-8) of the first group whose check character does not match. */
int recovery_decode(const char *text, size_t len, uint8_t bytes[RECOVERY_BYTES]);

#endif
