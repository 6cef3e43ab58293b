/*
 * val_load.c: reading certificates from PEM, DER and bundles of either.
 *
 * What it checks: PEM framing (a BEGIN needs its END, base64 must decode),
 * DER framing (a truncated object, bytes after the last certificate, an
 * object OpenSSL cannot decode are errors naming the input and offset),
 * and strict DER of every certificate (definite minimal lengths, no
 * constructed strings, canonical BOOLEAN and INTEGER): a certificate that
 * decodes but is not DER still loads, with der_error set, so that linting
 * can report it as a finding.
 *
 * What it ignores on purpose: text outside PEM blocks (openssl's -text
 * dumps and comments are common in the wild), PEM headers other than
 * CERTIFICATE / X509 CERTIFICATE / TRUSTED CERTIFICATE (skipped), and DER
 * rules that need the schema (SET OF ordering, DEFAULT values): the
 * profiles check those where they matter.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "val.h"

#define PEM_DASHES	"-----"

struct der_walk {
	const unsigned char	*base;
	char			*why;
	size_t			 whylen;
};

/*
 * Reads one DER header at p (n bytes available).  Sets the tag class and
 * number, constructed flag, header and content lengths.  Returns 0, or -1
 * with a reason: indefinite or non-minimal length, truncation.
 */
static int
der_header(struct der_walk *w, const unsigned char *p, size_t n,
    unsigned *cls, unsigned long *tag, int *cons, size_t *hlen, size_t *clen)
{
	size_t	 off = 0, len, i, nlen;

	if (n < 2)
		goto trunc;
	*cls = p[0] >> 6;
	*cons = (p[0] & 0x20) != 0;
	*tag = p[0] & 0x1f;
	off = 1;
	if (*tag == 0x1f) {
		*tag = 0;
		if (p[off] == 0x80) {
			snprintf(w->why, w->whylen, "non-minimal tag at offset "
			    "%zu", (size_t)(p - w->base));
			return -1;
		}
		for (i = 0; ; i++) {
			if (off >= n)
				goto trunc;
			if (i >= 4) {
				snprintf(w->why, w->whylen, "tag number too "
				    "large at offset %zu",
				    (size_t)(p - w->base));
				return -1;
			}
			*tag = (*tag << 7) | (p[off] & 0x7f);
			if ((p[off++] & 0x80) == 0)
				break;
		}
		if (*tag < 0x1f) {
			snprintf(w->why, w->whylen, "non-minimal tag at "
			    "offset %zu", (size_t)(p - w->base));
			return -1;
		}
	}
	if (off >= n)
		goto trunc;
	if (p[off] == 0x80) {
		snprintf(w->why, w->whylen, "indefinite length (BER) at offset "
		    "%zu", (size_t)(p - w->base));
		return -1;
	}
	if (p[off] < 0x80) {
		len = p[off++];
	} else {
		nlen = p[off++] & 0x7f;
		if (nlen > sizeof(size_t) - 1 || nlen == 0x7f) {
			snprintf(w->why, w->whylen, "length of %zu octets at "
			    "offset %zu", nlen, (size_t)(p - w->base));
			return -1;
		}
		if (off + nlen > n)
			goto trunc;
		if (p[off] == 0) {
			snprintf(w->why, w->whylen, "non-minimal length "
			    "(leading zero) at offset %zu",
			    (size_t)(p - w->base));
			return -1;
		}
		for (len = 0, i = 0; i < nlen; i++)
			len = (len << 8) | p[off++];
		if (len < 0x80) {
			snprintf(w->why, w->whylen, "non-minimal length "
			    "(long form for %zu) at offset %zu", len,
			    (size_t)(p - w->base));
			return -1;
		}
	}
	if (len > n - off) {
		snprintf(w->why, w->whylen, "truncated: object at offset %zu "
		    "needs %zu bytes, %zu remain", (size_t)(p - w->base),
		    off + len, n);
		return -1;
	}
	*hlen = off;
	*clen = len;
	return 0;
 trunc:
	snprintf(w->why, w->whylen, "truncated header at offset %zu",
	    (size_t)(p - w->base));
	return -1;
}

/* Universal types DER requires to be primitive. */
static int
der_primitive_only(unsigned long tag)
{
	switch (tag) {
	case 1: case 2: case 3: case 4: case 5: case 6: case 10:
	case 12: case 18: case 19: case 20: case 21: case 22: case 23:
	case 24: case 25: case 26: case 27: case 28: case 30:
		return 1;
	}
	return 0;
}

static int
der_walk(struct der_walk *w, const unsigned char *p, size_t n, int depth)
{
	unsigned long	 tag;
	unsigned	 cls;
	size_t		 hlen, clen;
	int		 cons;
	const unsigned char *c;

	if (depth > VAL_MAX_DER_DEPTH) {
		snprintf(w->why, w->whylen, "nesting deeper than %d at offset "
		    "%zu", VAL_MAX_DER_DEPTH, (size_t)(p - w->base));
		return -1;
	}
	while (n > 0) {
		if (der_header(w, p, n, &cls, &tag, &cons, &hlen, &clen) != 0)
			return -1;
		c = p + hlen;
		if (cls == 0 && cons && der_primitive_only(tag)) {
			snprintf(w->why, w->whylen, "constructed encoding of "
			    "universal type %lu at offset %zu", tag,
			    (size_t)(p - w->base));
			return -1;
		}
		if (cls == 0 && !cons) {
			if (tag == 1 && (clen != 1 ||
			    (c[0] != 0x00 && c[0] != 0xff))) {
				snprintf(w->why, w->whylen, "BOOLEAN not 00 or "
				    "FF at offset %zu", (size_t)(p - w->base));
				return -1;
			}
			if ((tag == 2 || tag == 10) && (clen == 0 ||
			    (clen > 1 && ((c[0] == 0x00 && c[1] < 0x80) ||
			    (c[0] == 0xff && c[1] >= 0x80))))) {
				snprintf(w->why, w->whylen, "INTEGER not "
				    "minimally encoded at offset %zu",
				    (size_t)(p - w->base));
				return -1;
			}
			if (tag == 5 && clen != 0) {
				snprintf(w->why, w->whylen, "NULL with content "
				    "at offset %zu", (size_t)(p - w->base));
				return -1;
			}
		}
		if (cons && der_walk(w, c, clen, depth + 1) != 0)
			return -1;
		p += hlen + clen;
		n -= hlen + clen;
	}
	return 0;
}

int
val_der_strict(const unsigned char *p, size_t n, char *why, size_t whylen)
{
	struct der_walk	 w = { p, why, whylen };
	unsigned long	 tag;
	unsigned	 cls;
	size_t		 hlen, clen;
	int		 cons;

	if (der_header(&w, p, n, &cls, &tag, &cons, &hlen, &clen) != 0)
		return -1;
	if (hlen + clen != n) {
		snprintf(why, whylen, "%zu trailing bytes after the object",
		    n - hlen - clen);
		return -1;
	}
	return der_walk(&w, p, n, 0);
}

int
val_read_file(const char *path, size_t cap, unsigned char **out,
    size_t *outlen, char *err, size_t errlen)
{
	struct stat	 st;
	unsigned char	*buf = NULL, *grown;
	size_t		 len = 0, size = 0;
	ssize_t		 r;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((size_t)st.st_size > cap) {
		snprintf(err, errlen, "%s: %lld bytes, more than the limit of "
		    "%zu", path, (long long)st.st_size, cap);
		goto out;
	}
	size = (size_t)st.st_size + 1;
	if ((buf = malloc(size)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	for (;;) {
		if (len == size) {
			/* The file grew while we read it. */
			if (size > cap) {
				snprintf(err, errlen, "%s: more than the limit "
				    "of %zu bytes", path, cap);
				goto out;
			}
			if ((grown = realloc(buf, size * 2)) == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    path);
				goto out;
			}
			buf = grown;
			size *= 2;
		}
		r = read(fd, buf + len, size - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > cap) {
		snprintf(err, errlen, "%s: more than the limit of %zu bytes",
		    path, cap);
		goto out;
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	rc = 0;
 out:
	free(buf);
	close(fd);
	return rc;
}

static void
cert_clear(struct val_cert *c)
{
	X509_free(c->x509);
	free(c->der);
	free(c->where);
	free(c->der_error);
	memset(c, 0, sizeof(*c));
}

void
val_certs_free(struct val_certs *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		cert_clear(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/*
 * Decodes one certificate whose DER is exactly p[0..n) into c.  Returns 0,
 * or -1 with a reason in why.
 */
static int
cert_decode(const unsigned char *p, size_t n, struct val_cert *c,
    char *why, size_t whylen)
{
	const unsigned char	*q = p;
	char			 derwhy[160];

	memset(c, 0, sizeof(*c));
	if (n > LONG_MAX || (c->x509 = d2i_X509(NULL, &q, (long)n)) == NULL) {
		snprintf(why, whylen, "not a decodable X.509 certificate");
		return -1;
	}
	if ((size_t)(q - p) != n) {
		snprintf(why, whylen, "%zu trailing bytes inside the "
		    "certificate's encoding", n - (size_t)(q - p));
		goto fail;
	}
	if ((c->der = malloc(n)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	memcpy(c->der, p, n);
	c->der_len = n;
	if (val_der_strict(p, n, derwhy, sizeof(derwhy)) != 0 &&
	    (c->der_error = strdup(derwhy)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	return 0;
 fail:
	cert_clear(c);
	return -1;
}

/*
 * Length of the outermost object at p, BER included (for bundles of DER
 * certificates).  Returns 0 with *objlen set, or -1 with a reason.
 */
static int
outer_length(const unsigned char *base, const unsigned char *p, size_t n,
    size_t *objlen, char *why, size_t whylen)
{
	size_t	 len, nlen, i, off;

	if (n < 2) {
		snprintf(why, whylen, "truncated: %zu stray byte(s) at offset "
		    "%zu", n, (size_t)(p - base));
		return -1;
	}
	if (p[0] != 0x30) {
		snprintf(why, whylen, "expected a SEQUENCE (0x30) at offset "
		    "%zu, found 0x%02x", (size_t)(p - base), p[0]);
		return -1;
	}
	if (p[1] == 0x80) {
		/* Indefinite length: let OpenSSL find the end. */
		*objlen = n;
		return 0;
	}
	off = 2;
	if (p[1] < 0x80)
		len = p[1];
	else {
		nlen = p[1] & 0x7f;
		if (nlen > 4 || 2 + nlen > n) {
			snprintf(why, whylen, "truncated or bad length at "
			    "offset %zu", (size_t)(p - base));
			return -1;
		}
		for (len = 0, i = 0; i < nlen; i++)
			len = (len << 8) | p[2 + i];
		off += nlen;
	}
	if (len > n - off) {
		snprintf(why, whylen, "truncated: certificate at offset %zu "
		    "needs %zu bytes, %zu remain", (size_t)(p - base),
		    off + len, n);
		return -1;
	}
	*objlen = off + len;
	return 0;
}

static int
push(struct val_certs *tmp, struct val_cert *c, char *why, size_t whylen)
{
	struct val_cert	*grown;

	if (tmp->n >= VAL_MAX_BUNDLE_CERTS) {
		snprintf(why, whylen, "more than %d certificates",
		    VAL_MAX_BUNDLE_CERTS);
		return -1;
	}
	grown = reallocarray(tmp->v, tmp->n + 1, sizeof(*grown));
	if (grown == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	tmp->v = grown;
	tmp->v[tmp->n++] = *c;
	memset(c, 0, sizeof(*c));
	return 0;
}

static int
load_der(const unsigned char *buf, size_t len, struct val_certs *tmp,
    char *why, size_t whylen)
{
	struct val_cert		 c;
	const unsigned char	*p = buf, *q;
	size_t			 n = len, objlen;
	char			 reason[200];

	while (n > 0) {
		if (outer_length(buf, p, n, &objlen, reason,
		    sizeof(reason)) != 0) {
			snprintf(why, whylen, "certificate %zu: %s",
			    tmp->n + 1, reason);
			return -1;
		}
		if (objlen == n && p[1] == 0x80) {
			/* BER indefinite: decode, then measure. */
			q = p;
			X509 *x = d2i_X509(NULL, &q, (long)n);
			if (x == NULL) {
				snprintf(why, whylen, "certificate %zu at "
				    "offset %zu: not a decodable X.509 "
				    "certificate", tmp->n + 1,
				    (size_t)(p - buf));
				return -1;
			}
			X509_free(x);
			objlen = (size_t)(q - p);
		}
		if (cert_decode(p, objlen, &c, reason, sizeof(reason)) != 0) {
			snprintf(why, whylen, "certificate %zu at offset %zu: "
			    "%s", tmp->n + 1, (size_t)(p - buf), reason);
			return -1;
		}
		if (push(tmp, &c, why, whylen) != 0) {
			cert_clear(&c);
			return -1;
		}
		p += objlen;
		n -= objlen;
	}
	return 0;
}

static const char *
memmem_str(const unsigned char *h, size_t hlen, const char *needle)
{
	return memmem(h, hlen, needle, strlen(needle));
}

static int
pem_label_is_cert(const char *label, size_t n)
{
	static const char *const labels[] = { "CERTIFICATE",
	    "X509 CERTIFICATE", "TRUSTED CERTIFICATE" };
	size_t	 i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strlen(labels[i]) == n && memcmp(label, labels[i], n) == 0)
			return 1;
	return 0;
}

/* Decodes base64 body (line breaks allowed) into an owned buffer. */
static int
pem_body(const unsigned char *b, size_t n, unsigned char **out,
    size_t *outlen)
{
	EVP_ENCODE_CTX	*ctx;
	unsigned char	*buf;
	int		 l1 = 0, l2 = 0, rc = -1;

	if (n > INT_MAX || (buf = malloc(n / 4 * 3 + 4)) == NULL)
		return -1;
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL)
		goto out;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, buf, &l1, b, (int)n) < 0 ||
	    EVP_DecodeFinal(ctx, buf + l1, &l2) != 1)
		goto out;
	*out = buf;
	*outlen = (size_t)(l1 + l2);
	buf = NULL;
	rc = 0;
 out:
	EVP_ENCODE_CTX_free(ctx);
	free(buf);
	return rc;
}

static int
load_pem(const unsigned char *buf, size_t len, struct val_certs *tmp,
    char *why, size_t whylen)
{
	const unsigned char	*p = buf, *end = buf + len, *lab, *labend;
	const unsigned char	*body, *endmark, *after;
	unsigned char		*der = NULL;
	size_t			 derlen, line, before;
	char			 endline[96], reason[200];
	const char		*hit;
	int			 block = 0;

	while ((hit = memmem_str(p, (size_t)(end - p),
	    PEM_DASHES "BEGIN ")) != NULL) {
		lab = (const unsigned char *)hit + 11;
		labend = memchr(lab, '-', (size_t)(end - lab));
		line = 1;
		for (const unsigned char *k = buf; k < lab; k++)
			line += *k == '\n';
		if (labend == NULL || (size_t)(end - labend) < 5 ||
		    memcmp(labend, PEM_DASHES, 5) != 0 ||
		    (size_t)(labend - lab) > 64) {
			snprintf(why, whylen, "line %zu: malformed PEM BEGIN "
			    "line", line);
			return -1;
		}
		block++;
		body = labend + 5;
		snprintf(endline, sizeof(endline), PEM_DASHES "END %.*s"
		    PEM_DASHES, (int)(labend - lab), (const char *)lab);
		endmark = (const unsigned char *)memmem_str(body,
		    (size_t)(end - body), endline);
		if (endmark == NULL) {
			snprintf(why, whylen, "line %zu: PEM block '%.*s' has "
			    "no END line (truncated?)", line,
			    (int)(labend - lab), (const char *)lab);
			return -1;
		}
		after = endmark + strlen(endline);
		if (!pem_label_is_cert((const char *)lab,
		    (size_t)(labend - lab))) {
			p = after;
			continue;
		}
		if (memchr(body, ':', (size_t)(endmark - body)) != NULL) {
			snprintf(why, whylen, "line %zu: PEM headers "
			    "(encrypted or RFC 1421 PEM) are not supported",
			    line);
			return -1;
		}
		if (pem_body(body, (size_t)(endmark - body), &der,
		    &derlen) != 0 || derlen == 0) {
			snprintf(why, whylen, "line %zu: PEM block %d: bad "
			    "base64", line, block);
			free(der);
			return -1;
		}
		before = tmp->n;
		if (load_der(der, derlen, tmp, reason, sizeof(reason)) != 0) {
			snprintf(why, whylen, "line %zu: PEM block %d: %s",
			    line, block, reason);
			free(der);
			return -1;
		}
		free(der);
		der = NULL;
		if (tmp->n != before + 1) {
			snprintf(why, whylen, "line %zu: PEM block %d holds %zu "
			    "certificates, expected one", line, block,
			    tmp->n - before);
			return -1;
		}
		p = after;
	}
	if (tmp->n == 0) {
		snprintf(why, whylen, "no certificate found (expected PEM "
		    "\"BEGIN CERTIFICATE\" blocks or DER)");
		return -1;
	}
	return 0;
}

int
val_certs_load_mem(const unsigned char *buf, size_t len, const char *name,
    struct val_certs *out, char *err, size_t errlen)
{
	struct val_certs	 tmp = { NULL, 0 };
	struct val_cert		*grown;
	char			 why[300], where[512];
	size_t			 i;
	int			 rc = -1;

	if (name == NULL)
		name = "(input)";
	if (len == 0) {
		snprintf(err, errlen, "%s: empty input", name);
		return -1;
	}
	if (len > VAL_MAX_INPUT_BYTES) {
		snprintf(err, errlen, "%s: %zu bytes, more than the limit of "
		    "%d", name, len, VAL_MAX_INPUT_BYTES);
		return -1;
	}
	if (buf[0] == 0x30) {
		if (load_der(buf, len, &tmp, why, sizeof(why)) != 0)
			goto fail;
	} else if (load_pem(buf, len, &tmp, why, sizeof(why)) != 0)
		goto fail;

	for (i = 0; i < tmp.n; i++) {
		if (tmp.n == 1)
			snprintf(where, sizeof(where), "%s", name);
		else
			snprintf(where, sizeof(where), "%s#%zu", name, i + 1);
		if ((tmp.v[i].where = strdup(where)) == NULL) {
			snprintf(why, sizeof(why), "out of memory");
			goto fail;
		}
	}
	grown = reallocarray(out->v, out->n + tmp.n, sizeof(*grown));
	if (grown == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto fail;
	}
	out->v = grown;
	memcpy(out->v + out->n, tmp.v, tmp.n * sizeof(*tmp.v));
	out->n += tmp.n;
	free(tmp.v);
	return 0;
 fail:
	snprintf(err, errlen, "%s: %s", name, why);
	val_certs_free(&tmp);
	return rc;
}

int
val_certs_load_file(const char *path, struct val_certs *out, char *err,
    size_t errlen)
{
	unsigned char	*buf;
	size_t		 len;
	int		 rc;

	if (val_read_file(path, VAL_MAX_INPUT_BYTES, &buf, &len, err,
	    errlen) != 0)
		return -1;
	rc = val_certs_load_mem(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

void
val_cert_sha256_hex(X509 *x, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;

	if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n != 32) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
