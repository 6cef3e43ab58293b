/*
 * val_crl.c: CRL loading.  PEM (one or many "X509 CRL" blocks) or DER, one
 * CRL per DER input.  Strict: a block of another type, garbage, truncation,
 * bytes after the CRL or an encoding that is not DER is an error naming
 * the input and what is wrong.  Text around PEM blocks is ignored, as
 * OpenSSL does.  No checks here: val_chain.c judges CRLs.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "val.h"

static int
crls_push(struct val_crls *tmp, X509_CRL *crl, const char *name, size_t idx,
    int many, char *err, size_t errlen)
{
	struct val_crl	*grown;
	char		 buf[1024];

	if (tmp->n >= VAL_MAX_CRLS) {
		snprintf(err, errlen, "%s: more than %d CRLs", name,
		    VAL_MAX_CRLS);
		return -1;
	}
	grown = reallocarray(tmp->v, tmp->n + 1, sizeof(*grown));
	if (grown == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	tmp->v = grown;
	if (many)
		snprintf(buf, sizeof(buf), "%s#%zu", name, idx);
	else
		snprintf(buf, sizeof(buf), "%s", name);
	if ((tmp->v[tmp->n].where = strdup(buf)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	tmp->v[tmp->n].crl = crl;
	tmp->v[tmp->n].sm2_key = NULL;
	tmp->n++;
	return 0;
}

/* One DER CRL, all of [p, p + len). */
static X509_CRL *
crl_der(const unsigned char *p, size_t len, const char *name, size_t idx,
    char *err, size_t errlen)
{
	const unsigned char	*q = p;
	X509_CRL		*crl;
	char			 why[256];

	if (len == 0 || len > LONG_MAX) {
		snprintf(err, errlen, "%s: CRL %zu: empty or oversized", name,
		    idx);
		return NULL;
	}
	if ((crl = d2i_X509_CRL(NULL, &q, (long)len)) == NULL) {
		snprintf(err, errlen, "%s: CRL %zu: not a CRL (garbage or "
		    "truncated)", name, idx);
		return NULL;
	}
	if ((size_t)(q - p) != len) {
		snprintf(err, errlen, "%s: CRL %zu: %zu bytes after the CRL",
		    name, idx, len - (size_t)(q - p));
		X509_CRL_free(crl);
		return NULL;
	}
	if (val_der_strict(p, len, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s: CRL %zu: not DER: %s", name, idx,
		    why);
		X509_CRL_free(crl);
		return NULL;
	}
	return crl;
}

static int
has_pem(const unsigned char *p, size_t len)
{
	static const char	 tag[] = "-----BEGIN ";
	size_t			 i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (memcmp(p + i, tag, sizeof(tag) - 1) == 0)
			return 1;
	return 0;
}

int
val_crls_load_mem(const unsigned char *buf, size_t len, const char *name,
    struct val_crls *out, char *err, size_t errlen)
{
	struct val_crls	 tmp = { NULL, 0 };
	struct val_crl	*grown;
	BIO		*bio = NULL;
	X509_CRL	*crl;
	char		*pname = NULL, *phdr = NULL;
	unsigned char	*pdata = NULL;
	long		 plen;
	size_t		 i, idx = 0;
	int		 rc = -1, pem;

	if (name == NULL)
		name = "(memory)";
	if (len > VAL_MAX_CRL_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", name,
		    VAL_MAX_CRL_BYTES);
		goto out;
	}
	pem = has_pem(buf, len);
	if (!pem) {
		if ((crl = crl_der(buf, len, name, 1, err, errlen)) == NULL)
			goto out;
		if (crls_push(&tmp, crl, name, 1, 0, err, errlen) != 0) {
			X509_CRL_free(crl);
			goto out;
		}
	} else {
		if (len > INT_MAX ||
		    (bio = BIO_new_mem_buf(buf, (int)len)) == NULL) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto out;
		}
		for (;;) {
			ERR_clear_error();
			if (!PEM_read_bio(bio, &pname, &phdr, &pdata, &plen)) {
				if (ERR_GET_REASON(ERR_peek_last_error()) ==
				    PEM_R_NO_START_LINE && idx > 0)
					break;
				snprintf(err, errlen, "%s: PEM block %zu: "
				    "bad PEM (truncated or garbage)", name,
				    idx + 1);
				goto out;
			}
			idx++;
			if (strcmp(pname, "X509 CRL") != 0) {
				snprintf(err, errlen, "%s: PEM block %zu is "
				    "'%s', not 'X509 CRL'", name, idx, pname);
				goto out;
			}
			if ((crl = crl_der(pdata, (size_t)plen, name, idx,
			    err, errlen)) == NULL)
				goto out;
			if (crls_push(&tmp, crl, name, idx, 1, err,
			    errlen) != 0) {
				X509_CRL_free(crl);
				goto out;
			}
			OPENSSL_free(pname);
			OPENSSL_free(phdr);
			OPENSSL_free(pdata);
			pname = phdr = NULL;
			pdata = NULL;
		}
		/* A single block is named like a DER file. */
		if (tmp.n == 1) {
			free(tmp.v[0].where);
			if ((tmp.v[0].where = strdup(name)) == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    name);
				goto out;
			}
		}
	}
	if (out->n + tmp.n > VAL_MAX_CRLS) {
		snprintf(err, errlen, "%s: more than %d CRLs", name,
		    VAL_MAX_CRLS);
		goto out;
	}
	grown = reallocarray(out->v, out->n + tmp.n, sizeof(*grown));
	if (grown == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	out->v = grown;
	for (i = 0; i < tmp.n; i++)
		out->v[out->n++] = tmp.v[i];
	tmp.n = 0;
	rc = 0;
 out:
	ERR_clear_error();
	OPENSSL_free(pname);
	OPENSSL_free(phdr);
	OPENSSL_free(pdata);
	BIO_free(bio);
	val_crls_free(&tmp);
	return rc;
}

int
val_crls_load_file(const char *path, struct val_crls *out, char *err,
    size_t errlen)
{
	unsigned char	*buf = NULL;
	size_t		 len;
	int		 rc;

	if (val_read_file(path, VAL_MAX_CRL_BYTES, &buf, &len, err,
	    errlen) != 0)
		return -1;
	rc = val_crls_load_mem(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

void
val_crls_free(struct val_crls *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		X509_CRL_free(s->v[i].crl);
		EVP_PKEY_free(s->v[i].sm2_key);
		free(s->v[i].where);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
