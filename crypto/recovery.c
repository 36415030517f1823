/* recovery.c — encoding and checking the recovery key (see recovery.h). */
#include <string.h>

#include <sodium.h>

#include "crypto/recovery.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Odd weights make any single changed character change the sum mod 32; the group number
 * makes a swapped pair of groups fail too. */
static int
group_check(const int v[4], int group)
{
	return (v[0] + 3 * v[1] + 5 * v[2] + 7 * v[3] + 11 * (group + 1)) & 31;
}

static int
char_value(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'I' || c == 'L')
		c = '1';
	if (c == 'O')
		c = '0';
	if (c == '\0' || (p = strchr(alphabet, c)) == NULL)
		return -1;
	return (int)(p - alphabet);
}

/* Bit i of the 160 (most significant first). */
static int
get_bits(const uint8_t *b, int pos, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++)
		v = (v << 1) | ((b[(pos + i) / 8] >> (7 - (pos + i) % 8)) & 1);
	return v;
}

static void
put_bits(uint8_t *b, int pos, int n, int v)
{
	int i, bit;

	for (i = 0; i < n; i++) {
		bit = (v >> (n - 1 - i)) & 1;
		if (bit)
			b[(pos + i) / 8] |= (uint8_t)(1 << (7 - (pos + i) % 8));
	}
}

void
recovery_encode(const uint8_t bytes[RECOVERY_BYTES], char *text)
{
	int g, i, v[4];
	char *p = text;

	for (g = 0; g < RECOVERY_GROUPS; g++) {
		if (g > 0)
			*p++ = '-';
		for (i = 0; i < 4; i++) {
			v[i] = get_bits(bytes, (g * 4 + i) * 5, 5);
			*p++ = alphabet[v[i]];
		}
		*p++ = alphabet[group_check(v, g)];
	}
	*p = '\0';
}

int
recovery_decode(const char *text, size_t len, uint8_t bytes[RECOVERY_BYTES])
{
	int vals[RECOVERY_GROUPS * 5], n = 0, g, i, v;
	size_t k;

	for (k = 0; k < len; k++) {
		if (text[k] == '-' || text[k] == ' ')
			continue;
		if (n == RECOVERY_GROUPS * 5 || (v = char_value(text[k])) < 0) {
			sodium_memzero(vals, sizeof vals);
			return -1;
		}
		vals[n++] = v;
	}
	if (n != RECOVERY_GROUPS * 5) {
		sodium_memzero(vals, sizeof vals);
		return -1;
	}
	memset(bytes, 0, RECOVERY_BYTES);
	for (g = 0; g < RECOVERY_GROUPS; g++) {
		if (group_check(&vals[g * 5], g) != vals[g * 5 + 4]) {
			sodium_memzero(vals, sizeof vals);
			sodium_memzero(bytes, RECOVERY_BYTES);
			return g + 1;
		}
		for (i = 0; i < 4; i++)
			put_bits(bytes, (g * 4 + i) * 5, 5, vals[g * 5 + i]);
	}
	sodium_memzero(vals, sizeof vals);
	return 0;
}
