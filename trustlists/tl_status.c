/*
 * tl_status.c: which trust service a certificate belongs to, and that
 * service's status at a given time.  Pure: lists, certificate and time go
 * in; no clock, no I/O.
 *
 * Matching (ETSI TS 119 612 5.5.3) uses the CURRENT ServiceDigitalIdentity
 * of each service:
 *  - "certificate": a listed X509Certificate has exactly the DER of cert;
 *  - "ski": the subject key identifier of cert equals a listed X509SKI or
 *    the SKI of a listed certificate (a re-issued certificate for the same
 *    key; weaker);
 *  - "subject": the subject name equals a listed certificate's subject or
 *    a listed X509SubjectName (compared as a set of attribute=value pairs,
 *    case-insensitively; weakest: a name is no proof of a key).
 * Each service gives at most one match, of its strongest kind, with
 * same_key set when cert has the public key of a listed certificate (a
 * re-issue for the same CA key; always so for "certificate").  A weak
 * match without the same key is a hint, never evidence: anyone can write
 * a subject name or an SKI value into a certificate of their own.
 *
 * Status at a time (5.5.4, 5.5.5, 5.6): among the current information and
 * the history instances, the one with the latest StatusStartingTime not
 * after the time.  Before the first instance a service has no status
 * (status NULL, never granted).  "since" is the start of the unbroken run
 * of that status (consecutive instances with the same status URI are one
 * period: EE's ESTEID-SK 2015 is granted since 2016-06-30, restated
 * 2018-11-02).
 *
 * Known gaps: matching an end-entity certificate to the service of its
 * issuer (by signature) is not done; Qualifications criteria are reported,
 * never evaluated; TakenOverBy is not followed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "tl.h"

#define TL_STATUS_PFX_EIDAS "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
#define TL_STATUS_PFX_1999 \
    "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/"
#define TL_STATUS_PFX_102231 "http://uri.etsi.org/TrstSvc/Svcstatus/"
#define TL_SVCTYPE_PFX	"http://uri.etsi.org/TrstSvc/Svctype/"

/*
 * TS 119 612 v2.1.1+ Annex D.5 (eIDAS, from 1 July 2016) and the earlier
 * statuses of TS 119 612 v1 / TS 102 231 (Directive 1999/93/EC).  The
 * granted-equivalent ones are those under which a service is approved:
 * as EU DSS reads them (granted, recognisedatnationallevel; before eIDAS
 * undersupervision, supervisionincessation, accredited, setbynationallaw),
 * and TS 102 231's inaccord for the older TSLs.
 */
static const struct {
	const char	*name;
	int		 granted;
} statuses[] = {
	{ "granted", 1 },
	{ "withdrawn", 0 },
	{ "recognisedatnationallevel", 1 },
	{ "deprecatedatnationallevel", 0 },
	{ "undersupervision", 1 },
	{ "supervisionincessation", 1 },
	{ "supervisionceased", 0 },
	{ "supervisionrevoked", 0 },
	{ "accredited", 1 },
	{ "accreditationceased", 0 },
	{ "accreditationrevoked", 0 },
	{ "setbynationallaw", 1 },
	{ "deprecatedbynationallaw", 0 },
	/* ETSI TS 102 231 (TSL v2/v3, e.g. the gematik TSL). */
	{ "inaccord", 1 },
	{ "expired", 0 },
	{ "suspended", 0 },
	{ "revoked", 0 },
	{ "notinaccord", 0 },
};

static int
status_index(const char *uri)
{
	const char	*tail;
	size_t		 i;

	if (uri == NULL)
		return -1;
	if (strncmp(uri, TL_STATUS_PFX_EIDAS,
	    strlen(TL_STATUS_PFX_EIDAS)) == 0)
		tail = uri + strlen(TL_STATUS_PFX_EIDAS);
	else if (strncmp(uri, TL_STATUS_PFX_1999,
	    strlen(TL_STATUS_PFX_1999)) == 0)
		tail = uri + strlen(TL_STATUS_PFX_1999);
	else if (strncmp(uri, TL_STATUS_PFX_102231,
	    strlen(TL_STATUS_PFX_102231)) == 0)
		tail = uri + strlen(TL_STATUS_PFX_102231);
	else
		return -1;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(tail, statuses[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
tl_status_short(const char *uri)
{
	int	 i;

	return (i = status_index(uri)) < 0 ? NULL : statuses[i].name;
}

int
tl_status_granted(const char *uri)
{
	int	 i;

	return (i = status_index(uri)) < 0 ? 0 : statuses[i].granted;
}

const char *
tl_match_name(enum tl_match m)
{
	switch (m) {
	case TL_MATCH_CERT:
		return "certificate";
	case TL_MATCH_SKI:
		return "ski";
	case TL_MATCH_SUBJECT:
		return "subject";
	}
	return "?";
}

const char *
tl_service_type_short(const char *uri)
{
	if (uri == NULL)
		return NULL;
	if (strncmp(uri, TL_SVCTYPE_PFX, strlen(TL_SVCTYPE_PFX)) == 0 &&
	    uri[strlen(TL_SVCTYPE_PFX)] != '\0')
		return uri + strlen(TL_SVCTYPE_PFX);
	return uri;
}

const struct tl_service_info *
tl_service_at(const struct tl_service *s, time_t at)
{
	const struct tl_service_info	*best = NULL, *si;
	size_t				 i;

	for (i = 0; i <= s->nhistory; i++) {
		si = i == 0 ? &s->cur : &s->history[i - 1];
		if (si->status_start == TL_NO_TIME || si->status_start > at)
			continue;
		if (best == NULL || si->status_start > best->status_start)
			best = si;
	}
	return best;
}

/*
 * The start of the unbroken run of at's status that at belongs to: going
 * back in time from at, through earlier instances with the same status URI
 * (a history instance is written for any change, e.g. of name or
 * extensions, not only of status).  TL_NO_TIME when at is NULL.
 */
time_t
tl_service_since(const struct tl_service *s,
    const struct tl_service_info *at)
{
	const struct tl_service_info	*prev, *si;
	time_t				 since;
	size_t				 i;

	if (at == NULL || at->status == NULL)
		return at != NULL ? at->status_start : TL_NO_TIME;
	since = at->status_start;
	for (;;) {
		/* The instance just before since. */
		prev = NULL;
		for (i = 0; i <= s->nhistory; i++) {
			si = i == 0 ? &s->cur : &s->history[i - 1];
			if (si->status_start == TL_NO_TIME ||
			    si->status_start >= since)
				continue;
			if (prev == NULL ||
			    si->status_start > prev->status_start)
				prev = si;
		}
		if (prev == NULL || prev->status == NULL ||
		    strcmp(prev->status, at->status) != 0)
			return since;
		since = prev->status_start;
	}
}

/*
 * A distinguished name as a sorted list of "type=value" components,
 * lower-cased, blanks trimmed, escapes removed.  Both RFC 2253 strings
 * (",") and OpenSSL one-line strings are accepted.  Returns the number of
 * components written to comp (each owned, in buf), or -1.
 */
#define TL_DN_MAX	32

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Trims blanks at both ends and around the first '=', in place. */
static char *
dn_trim(char *s)
{
	char	*e, *eq, *t, *v;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		*--e = '\0';
	if ((eq = strchr(s, '=')) == NULL)
		return s;
	for (t = eq; t > s && t[-1] == ' '; t--)
		;
	for (v = eq + 1; *v == ' '; v++)
		;
	*t = '=';
	memmove(t + 1, v, strlen(v) + 1);
	return s;
}

static int
dn_split(const char *in, char *buf, size_t buflen, char *comp[TL_DN_MAX])
{
	char	*w = buf, *start = buf, *c;
	int	 n = 0, end;

	if (strlen(in) >= buflen)
		return -1;
	for (; ; in++) {
		end = *in == '\0';
		if (!end && *in == '\\' && in[1] != '\0') {
			in++;
			*w++ = tolower((unsigned char)*in);
			continue;
		}
		if (end || *in == ',' || *in == ';' || *in == '+') {
			*w = '\0';
			c = dn_trim(start);
			if (*c != '\0') {
				if (n == TL_DN_MAX)
					return -1;
				comp[n++] = c;
			}
			if (end)
				break;
			start = ++w;
			continue;
		}
		*w++ = tolower((unsigned char)*in);
	}
	qsort(comp, n, sizeof(comp[0]), cmpstr);
	return n;
}

static int
dn_equal(const char *a, const char *b)
{
	char	 ba[2048], bb[2048], *ca[TL_DN_MAX], *cb[TL_DN_MAX];
	int	 na, nb, i;

	if ((na = dn_split(a, ba, sizeof(ba), ca)) <= 0 ||
	    (nb = dn_split(b, bb, sizeof(bb), cb)) != na)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(ca[i], cb[i]) != 0)
			return 0;
	return 1;
}


struct needle {
	X509			*x;
	unsigned char		*der;
	int			 derlen;
	const ASN1_OCTET_STRING	*ski;
	char			*subject;
	unsigned char		*name_der;	/* subject, DER */
	int			 name_len;
	const ASN1_STRING	*cn;		/* last CN value, or NULL */
};

/*
 * Whether a listed certificate may share the needle's SKI or subject: one
 * of their byte strings occurs in its DER.  Decoding every listed
 * certificate (4,400 in the 2026 lists) costs ~0.2 ms each; this filter
 * makes a query over all lists cost about as much as parsing them.  A
 * subject written with other bytes (case, string type of a non-ASCII
 * value) but canonically equal is missed, as a weak match only.
 */
/* Whether needle (n bytes, n > 0) occurs in hay. */
static int
has_bytes(const unsigned char *hay, size_t len, const unsigned char *needle,
    size_t n)
{
	size_t	 i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static int
may_match(const struct needle *nd, const struct tl_blob *b)
{
	if (nd->ski != NULL && ASN1_STRING_length(nd->ski) > 0 &&
	    has_bytes(b->p, b->len, ASN1_STRING_get0_data(nd->ski),
	    (size_t)ASN1_STRING_length(nd->ski)))
		return 1;
	if (nd->name_len > 0 && has_bytes(b->p, b->len, nd->name_der,
	    (size_t)nd->name_len))
		return 1;
	if (nd->cn != NULL && ASN1_STRING_length(nd->cn) > 0 &&
	    has_bytes(b->p, b->len, ASN1_STRING_get0_data(nd->cn),
	    (size_t)ASN1_STRING_length(nd->cn)))
		return 1;
	return 0;
}

/*
 * The strongest match of needle against si's identities, or -1.  Sets
 * *same_key when the needle is a listed certificate or has the public key
 * of one (a re-issued certificate for the same CA key).
 */
static int
match_info(const struct needle *nd, const struct tl_service_info *si,
    int *same_key)
{
	const struct tl_digital_id	*id;
	const ASN1_OCTET_STRING		*lski;
	const unsigned char		*p;
	X509				*lx;
	size_t				 i;
	int				 best = -1, m;

	*same_key = 0;
	for (i = 0; i < si->nids; i++) {
		id = &si->ids[i];
		m = -1;
		switch (id->kind) {
		case TL_ID_CERT:
			if (id->data.len == (size_t)nd->derlen &&
			    memcmp(id->data.p, nd->der, id->data.len) == 0) {
				m = TL_MATCH_CERT;
				*same_key = 1;
				break;
			}
			if (!may_match(nd, &id->data))
				break;
			p = id->data.p;
			if (id->data.len > 0x7fffffff ||
			    (lx = d2i_X509(NULL, &p, (long)id->data.len)) ==
			    NULL)
				break;
			if (EVP_PKEY_eq(X509_get0_pubkey(lx),
			    X509_get0_pubkey(nd->x)) == 1)
				*same_key = 1;
			lski = X509_get0_subject_key_id(lx);
			if (nd->ski != NULL && lski != NULL &&
			    ASN1_OCTET_STRING_cmp(nd->ski, lski) == 0)
				m = TL_MATCH_SKI;
			else if (X509_NAME_cmp(X509_get_subject_name(lx),
			    X509_get_subject_name(nd->x)) == 0)
				m = TL_MATCH_SUBJECT;
			X509_free(lx);
			break;
		case TL_ID_SKI:
			if (nd->ski != NULL && (size_t)ASN1_STRING_length(
			    nd->ski) == id->data.len && memcmp(
			    ASN1_STRING_get0_data(nd->ski), id->data.p,
			    id->data.len) == 0)
				m = TL_MATCH_SKI;
			break;
		case TL_ID_SUBJECT:
			if (nd->subject != NULL &&
			    dn_equal(nd->subject, id->text))
				m = TL_MATCH_SUBJECT;
			break;
		default:
			break;
		}
		if (m >= 0 && (best < 0 || m < best))
			best = m;
		if (best == TL_MATCH_CERT)
			break;
	}
	return best;
}

static int
cmp_match(const void *a, const void *b)
{
	const struct tl_status_match	*x = a, *y = b;

	if (x->match != y->match)
		return (int)x->match - (int)y->match;
	return 0;	/* the insertion sort keeps list order */
}

int
tl_status(X509 *cert, const struct tl_list *const *lists, size_t nlists,
    time_t at, struct tl_status_result *out)
{
	struct needle			 nd;
	struct tl_status_match		*v = NULL, *g, tmp;
	const struct tl_service		*s;
	const struct tl_list		*l;
	size_t				 n = 0, cap = 0, i, j, k, a, b;
	const X509_NAME			*nm;
	int				 m, key, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&nd, 0, sizeof(nd));
	nd.x = cert;
	if ((nd.derlen = i2d_X509(cert, &nd.der)) <= 0)
		goto out;
	X509_check_purpose(cert, -1, 0);
	nd.ski = X509_get0_subject_key_id(cert);
	if ((nd.subject = val_name_text(X509_get_subject_name(cert))) == NULL)
		goto out;
	nd.name_len = i2d_X509_NAME(X509_get_subject_name(cert), &nd.name_der);
	nm = X509_get_subject_name(cert);
	for (m = 0; m < X509_NAME_entry_count(nm); m++)
		if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(
		    X509_NAME_get_entry(nm, m))) == NID_commonName)
			nd.cn = X509_NAME_ENTRY_get_data(
			    X509_NAME_get_entry(nm, m));

	for (i = 0; i < nlists; i++) {
		if ((l = lists[i]) == NULL)
			continue;
		for (j = 0; j < l->ntsps; j++)
			for (k = 0; k < l->tsps[j].nservices; k++) {
				s = &l->tsps[j].services[k];
				if ((m = match_info(&nd, &s->cur, &key)) < 0)
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 4;
					g = reallocarray(v, cap, sizeof(*v));
					if (g == NULL)
						goto out;
					v = g;
				}
				g = &v[n++];
				memset(g, 0, sizeof(*g));
				g->list = l;
				g->tsp = &l->tsps[j];
				g->service = s;
				g->match = (enum tl_match)m;
				g->same_key = key;
				g->at_info = tl_service_at(s, at);
				g->status = g->at_info ? g->at_info->status :
				    NULL;
				g->since = tl_service_since(s, g->at_info);
				g->granted = tl_status_granted(g->status);
			}
	}
	/* Insertion sort: stable, and n is small. */
	for (a = 1; a < n; a++) {
		tmp = v[a];
		for (b = a; b > 0 && cmp_match(&v[b - 1], &tmp) > 0; b--)
			v[b] = v[b - 1];
		v[b] = tmp;
	}
	out->v = v;
	out->n = n;
	v = NULL;
	rc = 0;
 out:
	free(v);
	OPENSSL_free(nd.der);
	OPENSSL_free(nd.name_der);
	free(nd.subject);
	return rc;
}

void
tl_status_result_free(struct tl_status_result *r)
{
	if (r == NULL)
		return;
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
