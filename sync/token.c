/* token.c — see token.h. */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "sync/token.h"

#define RAW_MAX (64 + TOKEN_ENDPOINT_MAX + 4)

int
token_encode(const struct token *t, char *out, struct err *e)
{
	uint8_t raw[RAW_MAX];
	size_t el = strlen(t->endpoint), n, pl = strlen(TOKEN_PREFIX);

	if (el == 0 || el > TOKEN_ENDPOINT_MAX)
		return err_set(e, E_INVALID, "%s", _("the hub address is too long for a token"));
	memcpy(raw, t->hub_pk, 32);
	memcpy(raw + 32, t->enroll_sk, 32);
	memcpy(raw + 64, t->endpoint, el);
	n = 64 + el;
	crypto_generichash(raw + n, 4, raw, n, NULL, 0);
	n += 4;
	memcpy(out, TOKEN_PREFIX, pl);
	sodium_bin2base64(out + pl, TOKEN_MAX - pl, raw, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return E_OK;
}

int
token_decode(const char *s, struct token *t, struct err *e)
{
	uint8_t raw[RAW_MAX], sum[4];
	size_t n, len, pl = strlen(TOKEN_PREFIX);
	const char *end;

	while (isspace((unsigned char)*s))
		s++;
	for (end = s + strlen(s); end > s && isspace((unsigned char)end[-1]); end--)
		;
	len = (size_t)(end - s);
	if (len < pl || strncmp(s, TOKEN_PREFIX, pl) != 0)
		return err_set(e, E_INVALID, "%s", _("not an enrollment token"));
	if (sodium_base642bin(raw, sizeof raw, s + pl, len - pl, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n < 64 + 1 + 4) {
		sodium_memzero(raw, sizeof raw);
		return err_set(e, E_INVALID, "%s", _("damaged enrollment token (mistyped?)"));
	}
	crypto_generichash(sum, 4, raw, n - 4, NULL, 0);
	if (sodium_memcmp(sum, raw + n - 4, 4) != 0) {
		sodium_memzero(raw, sizeof raw);
		return err_set(e, E_INVALID, "%s", _("damaged enrollment token (mistyped?)"));
	}
	memcpy(t->hub_pk, raw, 32);
	memcpy(t->enroll_sk, raw + 32, 32);
	memcpy(t->endpoint, raw + 64, n - 68);
	t->endpoint[n - 68] = '\0';
	sodium_memzero(raw, sizeof raw);
	if (memchr(t->endpoint, '\0', n - 68) != NULL)
		return err_set(e, E_INVALID, "%s", _("damaged enrollment token (mistyped?)"));
	return E_OK;
}
