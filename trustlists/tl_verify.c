/*
 * tl_verify.c: is this trust list signed by whom we expect, over all of
 * it, and is it current?
 *
 * What it checks, in order (rule codes "TLV-..." below):
 *  - the bytes are a TS 119 612 list (tl_xml_read(): size, BOM, no DOCTYPE,
 *    depth, root element);
 *  - exactly one ds:Signature anywhere, and it is a child of the root
 *    (enveloped); TS 119 612 5.7.1 and DSS's "number of signatures must be
 *    equal to 1";
 *  - signature wrapping: every Id the signature uses (the root's, those
 *    inside ds:Signature) is unique in the document; SignedInfo has at most
 *    TL_MAX_SIG_REFS References; exactly one Reference covers the whole
 *    list (URI "" or "#<root Id>") with the enveloped-signature transform
 *    and C14N only; every other Reference is a same-document "#Id" that
 *    resolves INSIDE the ds:Signature (XAdES SignedProperties, KeyInfo),
 *    with C14N transforms only.  Anything else (external URIs, XPath or
 *    XSLT transforms, a Reference to a wrapped copy) is refused before
 *    xmlsec runs;
 *  - XMLDSig core by xmlsec with the OpenSSL engine, restricted to empty
 *    and same-document URIs, manifests ignored, an allow-list of
 *    transforms, with the public key of each pinned candidate in turn (the
 *    candidate matching KeyInfo or the XAdES digest first, so a good list
 *    costs one pass).  KeyInfo is never used to find a key.
 *    xmlSecDSigCtxVerify() returning -1 counts as invalid; a Reference
 *    digest mismatch stops the search (no key can repair it);
 *  - XAdES (EN 319 132-1): the SignedProperties are the target of a
 *    Reference of type SignedProperties; SigningCertificate(V2) carries the
 *    digest of the certificate that verified; SigningTime lies inside that
 *    certificate's validity (the certificate may have expired since, as
 *    DSS allows);
 *  - the list: the expected territory (the pointer's), LOTL type when a
 *    LOTL is expected, the sequence number not below the last verified
 *    one (rollback) and a reused number only with the same bytes, the
 *    NextUpdate not passed at the validation time (stale), an empty
 *    NextUpdate reported as a closed list.
 *
 * Not checked on purpose: the signer certificate's chain, revocation and
 * key usage (TL signers are pinned end-entity certificates, as the LOTL
 * and the OJ announce them); XSD validity (tl_parse reports structure).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/errors.h>
#include <xmlsec/keys.h>
#include <xmlsec/base64.h>
#include <xmlsec/transforms.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/evp.h>

#include "tl.h"

#define NS_DS		"http://www.w3.org/2000/09/xmldsig#"
#define NS_XADES	"http://uri.etsi.org/01903/v1.3.2#"
#define NS_XADES141	"http://uri.etsi.org/01903/v1.4.1#"
#define TYPE_SIGPROPS	"http://uri.etsi.org/01903#SignedProperties"
#define LOTL_TYPE_SUFFIX "EUlistofthelists"

#define C_TSL		"ETSI TS 119 612 5.7.1"
#define C_DSIG		"W3C XMLDSig 1.1"

static const struct val_rule r_nomem = { "TLV-NOMEM", VAL_FATAL,
    "xbrg", "out of memory while verifying the list" };
static const struct val_rule r_sig_missing = { "TLV-SIG-MISSING", VAL_FATAL,
    C_TSL, "list is not signed (no ds:Signature)" };
static const struct val_rule r_sig_multiple = { "TLV-SIG-MULTIPLE",
    VAL_FATAL, C_TSL, "list has more than one ds:Signature" };
static const struct val_rule r_sig_placement = { "TLV-SIG-PLACEMENT",
    VAL_FATAL, C_TSL "; " C_DSIG " 6.6.4 (enveloped)",
    "ds:Signature is not a child of the list's root element" };
static const struct val_rule r_id_dup = { "TLV-ID-DUPLICATE", VAL_FATAL,
    C_DSIG " 4.4.3.3; W3C XML 1.0 3.3.1 (ID uniqueness)",
    "an Id the signature relies on occurs twice (signature wrapping)" };
static const struct val_rule r_ref_count = { "TLV-REF-COUNT", VAL_FATAL,
    C_DSIG " 4.4.3", "SignedInfo has no or too many References" };
static const struct val_rule r_ref_uri = { "TLV-REF-URI", VAL_FATAL,
    C_TSL "; " C_DSIG " 4.4.3.1",
    "Reference URI is neither \"\" nor a same-document #Id" };
static const struct val_rule r_ref_target = { "TLV-REF-TARGET", VAL_FATAL,
    C_TSL "; " C_DSIG " 4.4.3.3",
    "Reference points at neither the whole list nor the signature's own "
    "properties (signature wrapping)" };
static const struct val_rule r_ref_cover = { "TLV-REF-COVERAGE", VAL_FATAL,
    C_TSL " (enveloped signature over the whole list)",
    "not exactly one Reference covers the whole list" };
static const struct val_rule r_ref_transform = { "TLV-REF-TRANSFORM",
    VAL_FATAL, C_TSL "; " C_DSIG " 6.6",
    "Reference transform other than enveloped-signature and C14N" };
static const struct val_rule r_no_signers = { "TLV-NO-SIGNERS", VAL_ERROR,
    "ETSI TS 119 612 5.3.13 (pointer signer certificates)",
    "no pinned signer certificate to verify against" };
static const struct val_rule r_digest = { "TLV-SIG-DIGEST", VAL_ERROR,
    C_DSIG " 3.2.1 (reference validation)",
    "a Reference digest does not match: the list changed after signing" };
static const struct val_rule r_signer = { "TLV-SIG-SIGNER", VAL_ERROR,
    C_TSL "; " C_DSIG " 3.2.2 (signature validation)",
    "signature does not verify with any pinned signer certificate" };
static const struct val_rule r_sig_error = { "TLV-SIG-ERROR", VAL_ERROR,
    C_DSIG " 6 (algorithms)",
    "signature cannot be processed (unsupported algorithm or structure)" };
static const struct val_rule r_xades_missing = { "TLV-XADES-MISSING",
    VAL_ERROR, "ETSI EN 319 132-1 4.3, 6.3; " C_TSL,
    "no XAdES SignedProperties covered by a SignedProperties Reference" };
static const struct val_rule r_sigcert_missing = { "TLV-XADES-SIGCERT-MISSING",
    VAL_ERROR, "ETSI EN 319 132-1 5.2.2",
    "no SigningCertificate or SigningCertificateV2" };
static const struct val_rule r_sigcert_digest = { "TLV-XADES-SIGCERT-DIGEST",
    VAL_ERROR, "ETSI EN 319 132-1 5.2.2",
    "SigningCertificate digest does not match the signer certificate" };
static const struct val_rule r_sigcert_v1 = { "TLV-XADES-SIGCERT-V1",
    VAL_WARN, "ETSI EN 319 132-1 5.2.2.2; ETSI TS 119 612 V2.4.1 5.7.1",
    "TL version 6 signed with SigningCertificate, not SigningCertificateV2" };
static const struct val_rule r_st_missing = { "TLV-SIGNING-TIME-MISSING",
    VAL_WARN, "ETSI EN 319 132-1 5.2.1", "no XAdES SigningTime" };
static const struct val_rule r_st_bad = { "TLV-SIGNING-TIME-BAD", VAL_ERROR,
    "ETSI EN 319 132-1 5.2.1", "XAdES SigningTime is not a valid time" };
static const struct val_rule r_st_validity = { "TLV-SIGNER-NOT-VALID",
    VAL_ERROR, "ETSI EN 319 102-1 5.2.8; " C_TSL,
    "signing time outside the signer certificate's validity" };
static const struct val_rule r_st_future = { "TLV-SIGNING-TIME-FUTURE",
    VAL_WARN, "ETSI EN 319 132-1 5.2.1",
    "signing time is after the validation time" };
static const struct val_rule r_signer_expired = { "TLV-SIGNER-EXPIRED",
    VAL_INFO, "ETSI EN 319 102-1 5.2.8",
    "signer certificate has expired since signing (allowed)" };
static const struct val_rule r_parse = { "TLV-UNPARSED", VAL_ERROR,
    "ETSI TS 119 612 5.3",
    "signed list could not be parsed (see the parser's findings)" };
static const struct val_rule r_territory = { "TLV-TERRITORY", VAL_ERROR,
    "ETSI TS 119 612 5.3.10, 5.3.13",
    "SchemeTerritory differs from the pointer's territory" };
static const struct val_rule r_not_lotl = { "TLV-NOT-LOTL", VAL_ERROR,
    "ETSI TS 119 612 5.3.3, 5.3.10",
    "expected the EU list of trusted lists (type EUlistofthelists, EU)" };
static const struct val_rule r_rollback = { "TLV-ROLLBACK", VAL_ERROR,
    "ETSI TS 119 612 5.3.4 (sequence number increments)",
    "sequence number lower than the last verified list's (rollback)" };
static const struct val_rule r_seq_reused = { "TLV-SEQ-REUSED", VAL_WARN,
    "ETSI TS 119 612 5.3.4",
    "same sequence number as the last verified list, different content" };
static const struct val_rule r_stale = { "TLV-STALE", VAL_WARN,
    "ETSI TS 119 612 5.3.15 (NextUpdate)",
    "NextUpdate has passed at the validation time (stale list)" };
static const struct val_rule r_closed = { "TLV-CLOSED", VAL_INFO,
    "ETSI TS 119 612 5.3.15 (empty NextUpdate: closed list)",
    "closed list: no further update will be issued" };
static const struct val_rule r_future_issue = { "TLV-ISSUED-FUTURE",
    VAL_WARN, "ETSI TS 119 612 5.3.14",
    "ListIssueDateTime is after the validation time" };
static const struct val_rule r_pivot_broken = { "TLV-PIVOT-BROKEN",
    VAL_ERROR, "ETSI TS 119 612 D.5; EU LOTL pivot procedure (OJ C 276/2019)",
    "a pivot LOTL does not verify against the previous signer set" };
static const struct val_rule r_pivot_noeu = { "TLV-PIVOT-NO-SIGNERS",
    VAL_ERROR, "ETSI TS 119 612 5.3.13; EU LOTL pivot procedure",
    "a pivot LOTL announces no EU signer certificates" };
static const struct val_rule r_pivot_order = { "TLV-PIVOT-ORDER", VAL_ERROR,
    "ETSI TS 119 612 5.3.4; EU LOTL pivot procedure",
    "pivot sequence numbers are missing or repeated" };
static const struct val_rule r_pivot_count = { "TLV-PIVOT-COUNT", VAL_ERROR,
    "xbrg TL_MAX_PIVOTS", "more pivot LOTLs than the limit" };

/* ---- library set-up ---- */

static void
quiet_xmlsec(const char *file, int line, const char *func,
    const char *obj, const char *subj, int reason, const char *msg)
{
}

int
tl_global_init(void)
{
	if (xmlSecInit() < 0)
		return -1;
	if (xmlSecCheckVersion() != 1 || xmlSecOpenSSLAppInit(NULL) < 0 ||
	    xmlSecOpenSSLInit() < 0) {
		xmlSecShutdown();
		return -1;
	}
	/* Findings carry the reasons; xmlsec must not print. */
	xmlSecErrorsSetCallback(quiet_xmlsec);
	return 0;
}

void
tl_global_cleanup(void)
{
	xmlSecOpenSSLShutdown();
	xmlSecOpenSSLAppShutdown();
	xmlSecShutdown();
}

/* ---- small helpers ---- */

static int
is_el(const xmlNode *n, const char *ns, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *ns, const char *name)
{
	xmlNode	*c;

	if (n == NULL)
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, ns, name))
			return c;
	return NULL;
}

/* Depth-first successor of n inside the subtree of top. */
static xmlNode *
next_el(xmlNode *n, const xmlNode *top)
{
	if (n->children != NULL)
		return n->children;
	while (n != top) {
		if (n->next != NULL)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

static int
is_inside(const xmlNode *n, const xmlNode *anc)
{
	for (; n != NULL; n = n->parent)
		if (n == anc)
			return 1;
	return 0;
}

/*
 * An attribute that names an element for a same-document reference: the
 * unqualified Id/ID/id XMLDSig and XAdES use, or xml:id (which libxml2
 * registers as an ID by itself).
 */
static int
is_id_attr(const xmlAttr *a)
{
	if (a->ns == NULL)
		return strcmp((const char *)a->name, "Id") == 0 ||
		    strcmp((const char *)a->name, "ID") == 0 ||
		    strcmp((const char *)a->name, "id") == 0;
	return strcmp((const char *)a->ns->href,
	    "http://www.w3.org/XML/1998/namespace") == 0 &&
	    strcmp((const char *)a->name, "id") == 0;
}

static void
hex(const unsigned char *p, size_t n, char *out)
{
	static const char	 d[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
sha256_hex(const unsigned char *p, size_t n, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;

	if (EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		out[0] = '\0';
		return;
	}
	hex(md, 32, out);
}

/* Base64 text content to bytes; returns an owned buffer or NULL. */
static unsigned char *
b64_content(xmlNode *n, size_t *outlen)
{
	xmlChar		*s;
	unsigned char	*buf = NULL;
	size_t		 cap;
	xmlSecSize	 r = 0;

	if ((s = xmlNodeGetContent(n)) == NULL)
		return NULL;
	cap = strlen((const char *)s) * 3 / 4 + 4;
	if (cap > TL_MAX_TEXT || (buf = malloc(cap)) == NULL)
		goto out;
	if (xmlSecBase64Decode_ex(s, buf, (xmlSecSize)cap, &r) < 0 || r == 0) {
		free(buf);
		buf = NULL;
		goto out;
	}
	*outlen = (size_t)r;
 out:
	xmlFree(s);
	return buf;
}

static char *
node_text(xmlNode *n)
{
	xmlChar	*s;
	char	*r, *p, *e;

	if (n == NULL || (s = xmlNodeGetContent(n)) == NULL)
		return NULL;
	for (p = (char *)s; *p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'; p++)
		;
	r = strdup(p);
	xmlFree(s);
	if (r == NULL)
		return NULL;
	for (e = r + strlen(r); e > r && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\r' || e[-1] == '\n'); e--)
		e[-1] = '\0';
	return r;
}

/* xs:dateTime; a value without a zone is read as UTC. */
static int
parse_xs_time(const char *s, time_t *out)
{
	char	 buf[64];
	size_t	 n;

	if (val_time_parse(s, out) == 0)
		return 0;
	n = strlen(s);
	if (n + 2 > sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 'Z';
	buf[n + 1] = '\0';
	return val_time_parse(buf, out);
}

static const EVP_MD *
md_by_uri(const char *uri)
{
	static const struct {
		const char	*uri;
		const char	*name;
	} tab[] = {
		{ "http://www.w3.org/2000/09/xmldsig#sha1", "SHA1" },
		{ "http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA224" },
		{ "http://www.w3.org/2001/04/xmlenc#sha256", "SHA256" },
		{ "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA384" },
		{ "http://www.w3.org/2001/04/xmlenc#sha512", "SHA512" },
		{ "http://www.w3.org/2007/05/xmldsig-more#sha3-256", "SHA3-256" },
		{ "http://www.w3.org/2007/05/xmldsig-more#sha3-384", "SHA3-384" },
		{ "http://www.w3.org/2007/05/xmldsig-more#sha3-512", "SHA3-512" },
	};
	size_t	 i;

	if (uri == NULL)
		return NULL;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(uri, tab[i].uri) == 0)
			return EVP_get_digestbyname(tab[i].name);
	return NULL;
}

static int
is_c14n(const char *alg)
{
	static const char *const ok[] = {
		"http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
		"http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
		"http://www.w3.org/2006/12/xml-c14n11",
		"http://www.w3.org/2006/12/xml-c14n11#WithComments",
		"http://www.w3.org/2001/10/xml-exc-c14n#",
		"http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
	};
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(alg, ok[i]) == 0)
			return 1;
	return 0;
}

#define ALG_ENVELOPED	"http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* ---- the structural (anti-wrapping) checks ---- */

struct sigshape {
	xmlNode		*root;
	xmlNode		*sig;		/* the one ds:Signature */
	xmlNode		*sigprops;	/* XAdES SignedProperties covered by a
					   SignedProperties Reference */
	int		 fatal;
};

/* Every element carrying an Id, sorted by value: one pass, then lookups. */
struct ident {
	xmlNode		*n;
	xmlAttr		*a;
	xmlChar		*v;	/* owned */
};

struct idindex {
	struct ident	*v;
	size_t		 n;
};

static int
ident_cmp(const void *a, const void *b)
{
	const struct ident	*x = a, *y = b;

	return strcmp((const char *)x->v, (const char *)y->v);
}

static void
idindex_free(struct idindex *ix)
{
	size_t	 i;

	for (i = 0; i < ix->n; i++)
		xmlFree(ix->v[i].v);
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}

/*
 * One walk over the document: counts ds:Signature elements (the first is
 * kept) and indexes every Id.  Returns 0 or -1 (out of memory).
 */
static int
scan_doc(struct sigshape *sh, struct idindex *ix, size_t *nsig)
{
	xmlNode		*n;
	xmlAttr		*a;
	struct ident	*g;
	size_t		 cap = 0;

	*nsig = 0;
	for (n = sh->root; n != NULL; n = next_el(n, sh->root)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, NS_DS, "Signature") && (*nsig)++ == 0)
			sh->sig = n;
		for (a = n->properties; a != NULL; a = a->next) {
			if (!is_id_attr(a))
				continue;
			if (ix->n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((g = reallocarray(ix->v, cap,
				    sizeof(*g))) == NULL)
					return -1;
				ix->v = g;
			}
			ix->v[ix->n].n = n;
			ix->v[ix->n].a = a;
			if ((ix->v[ix->n].v = xmlNodeListGetString(n->doc,
			    a->children, 1)) == NULL)
				continue;
			ix->n++;
		}
	}
	if (ix->n > 1)
		qsort(ix->v, ix->n, sizeof(*ix->v), ident_cmp);
	return 0;
}

/* The element whose Id is id, NULL when none (Ids checked unique). */
static xmlNode *
find_id(const struct idindex *ix, const char *id)
{
	struct ident	 key, *e;

	key.v = (xmlChar *)(uintptr_t)id;
	e = bsearch(&key, ix->v, ix->n, sizeof(*ix->v), ident_cmp);
	return e != NULL ? e->n : NULL;
}

/*
 * Every Id on the root or inside the signature must be unique in the whole
 * document, and gets registered as an XML ID for xmlsec.
 */
static int
check_ids(struct sigshape *sh, const struct idindex *ix, const char *name,
    struct val_report *rep)
{
	size_t	 i, j;
	int	 rc = 0, mine;

	for (i = 0; i < ix->n; i = j) {
		for (j = i + 1; j < ix->n && strcmp((const char *)ix->v[i].v,
		    (const char *)ix->v[j].v) == 0; j++)
			;
		mine = 0;
		for (size_t k = i; k < j; k++)
			if (ix->v[k].n == sh->root ||
			    is_inside(ix->v[k].n, sh->sig))
				mine = 1;
		if (!mine)
			continue;
		if (j - i > 1) {
			val_report_add(rep, &r_id_dup, name, "Id \"%s\"",
			    (const char *)ix->v[i].v);
			rc = -1;
		} else if (xmlGetID(ix->v[i].n->doc, ix->v[i].v) == NULL)
			(void)xmlAddID(NULL, ix->v[i].n->doc, ix->v[i].v,
			    ix->v[i].a);
	}
	return rc;
}

/* 1 when n has an element child (named name, any when NULL). */
static int
has_child_el(const xmlNode *n, const char *name)
{
	const xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (name == NULL ||
		    strcmp((const char *)c->name, name) == 0))
			return 1;
	return 0;
}

/* 1 when every element child of n is an exc-c14n InclusiveNamespaces. */
static int
only_inclusive_ns(const xmlNode *n)
{
	const xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is_el(c,
		    "http://www.w3.org/2001/10/xml-exc-c14n#",
		    "InclusiveNamespaces"))
			return 0;
	return 1;
}

/* Checks the Transforms of one Reference.  whole: covers the list. */
static int
check_transforms(xmlNode *ref, int whole, const char *name,
    struct val_report *rep)
{
	xmlNode	*ts, *t;
	xmlChar	*alg;
	int	 enveloped = 0, rc = 0;

	ts = child(ref, NS_DS, "Transforms");
	for (t = ts != NULL ? ts->children : NULL; t != NULL; t = t->next) {
		if (t->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(t, NS_DS, "Transform") ||
		    (alg = xmlGetProp(t, (const xmlChar *)"Algorithm")) ==
		    NULL) {
			val_report_add(rep, &r_ref_transform, name,
			    "unexpected element %s in Transforms",
			    (const char *)t->name);
			return -1;
		}
		if (whole && strcmp((const char *)alg, ALG_ENVELOPED) == 0 &&
		    !has_child_el(t, NULL))
			enveloped++;
		else if (!is_c14n((const char *)alg) || (has_child_el(t, NULL) &&
		    !(strstr((const char *)alg, "exc-c14n") != NULL &&
		    only_inclusive_ns(t)))) {
			/* Only exclusive C14N may carry parameters:
			 * InclusiveNamespaces. */
			val_report_add(rep, &r_ref_transform, name, "%s",
			    (const char *)alg);
			rc = -1;
		}
		xmlFree(alg);
	}
	if (whole && enveloped != 1) {
		val_report_add(rep, &r_ref_transform, name,
		    "the whole-list Reference needs exactly one "
		    "enveloped-signature transform (has %d)", enveloped);
		rc = -1;
	}
	return rc;
}

/*
 * What a Reference other than the whole-list one may point at: the XAdES
 * SignedProperties or the KeyInfo (or inside it) of this signature.
 */
static int
is_signature_part(const xmlNode *t, const xmlNode *sig)
{
	const xmlNode	*n;

	if (!is_inside(t, sig) || t == sig)
		return 0;
	if (is_el(t, NS_XADES, "SignedProperties") ||
	    is_el(t, NS_XADES141, "SignedProperties"))
		return 1;
	for (n = t; n != sig; n = n->parent)
		if (is_el(n, NS_DS, "KeyInfo") && n->parent == sig)
			return 1;
	return 0;
}

static int
check_shape(xmlDoc *doc, const char *name, struct sigshape *sh,
    struct val_report *rep)
{
	struct idindex	 ix;
	xmlAttrPtr	 ida;
	xmlNode		*si, *ref, *target;
	xmlChar		*uri, *type;
	size_t		 nsig = 0, nref = 0, nwhole = 0;
	int		 rc = -1;

	memset(sh, 0, sizeof(*sh));
	memset(&ix, 0, sizeof(ix));
	sh->root = xmlDocGetRootElement(doc);
	if (scan_doc(sh, &ix, &nsig) != 0) {
		val_report_add(rep, &r_nomem, name, NULL);
		goto out;
	}
	if (nsig == 0) {
		val_report_add(rep, &r_sig_missing, name, NULL);
		goto out;
	}
	if (nsig > 1) {
		val_report_add(rep, &r_sig_multiple, name, "%zu signatures",
		    nsig);
		goto out;
	}
	if (sh->sig->parent != sh->root) {
		val_report_add(rep, &r_sig_placement, name, "parent %s",
		    (const char *)sh->sig->parent->name);
		goto out;
	}
	if (check_ids(sh, &ix, name, rep) != 0)
		goto out;

	si = child(sh->sig, NS_DS, "SignedInfo");
	for (ref = si != NULL ? si->children : NULL; ref != NULL;
	    ref = ref->next) {
		if (!is_el(ref, NS_DS, "Reference"))
			continue;
		if (++nref > TL_MAX_SIG_REFS) {
			val_report_add(rep, &r_ref_count, name, "more than %d",
			    TL_MAX_SIG_REFS);
			goto out;
		}
		uri = xmlGetNoNsProp(ref, (const xmlChar *)"URI");
		type = xmlGetNoNsProp(ref, (const xmlChar *)"Type");
		target = NULL;
		if (uri == NULL || (uri[0] != '\0' && (uri[0] != '#' ||
		    uri[1] == '\0' || strchr((const char *)uri + 1, '(') !=
		    NULL))) {
			val_report_add(rep, &r_ref_uri, name, "URI %s",
			    uri != NULL ? (const char *)uri : "(absent)");
			goto bad;
		}
		if (uri[0] == '\0')
			target = sh->root;
		else if ((target = find_id(&ix,
		    (const char *)uri + 1)) == NULL) {
			val_report_add(rep, &r_ref_target, name,
			    "URI %s resolves to nothing", (const char *)uri);
			goto bad;
		} else if ((target == sh->root || is_signature_part(target,
		    sh->sig)) && ((ida = xmlGetID(doc, uri + 1)) == NULL ||
		    ida->parent != target)) {
			/* xmlsec must resolve it to the element we checked. */
			val_report_add(rep, &r_id_dup, name,
			    "URI %s resolves elsewhere for xmlsec",
			    (const char *)uri);
			goto bad;
		}
		if (target == sh->root) {
			nwhole++;
			if (check_transforms(ref, 1, name, rep) != 0)
				goto bad;
		} else if (is_signature_part(target, sh->sig)) {
			if (check_transforms(ref, 0, name, rep) != 0)
				goto bad;
			if (type != NULL && strcmp((const char *)type,
			    TYPE_SIGPROPS) == 0 && (is_el(target, NS_XADES,
			    "SignedProperties") || is_el(target, NS_XADES141,
			    "SignedProperties")))
				sh->sigprops = target;
		} else {
			val_report_add(rep, &r_ref_target, name,
			    "URI %s -> element %s", (const char *)uri,
			    (const char *)target->name);
			goto bad;
		}
		xmlFree(uri);
		xmlFree(type);
		continue;
 bad:
		xmlFree(uri);
		xmlFree(type);
		goto out;
	}
	if (nref == 0) {
		val_report_add(rep, &r_ref_count, name, "no Reference");
		goto out;
	}
	if (nwhole != 1) {
		val_report_add(rep, &r_ref_cover, name,
		    "%zu References cover the whole list", nwhole);
		goto out;
	}
	rc = 0;
 out:
	idindex_free(&ix);
	return rc;
}

/* ---- XMLDSig core with pinned keys ---- */

static int
enable_transforms(xmlSecDSigCtxPtr ctx)
{
	xmlSecTransformId	 c14n[] = {
		xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
		xmlSecTransformInclC14N11Id,
		xmlSecTransformInclC14N11WithCommentsId,
		xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
	};
	xmlSecTransformId	 digests[] = {
		xmlSecOpenSSLTransformSha1Id, xmlSecOpenSSLTransformSha224Id,
		xmlSecOpenSSLTransformSha256Id, xmlSecOpenSSLTransformSha384Id,
		xmlSecOpenSSLTransformSha512Id,
	};
	xmlSecTransformId	 sigs[] = {
		xmlSecOpenSSLTransformRsaSha1Id,
		xmlSecOpenSSLTransformRsaSha224Id,
		xmlSecOpenSSLTransformRsaSha256Id,
		xmlSecOpenSSLTransformRsaSha384Id,
		xmlSecOpenSSLTransformRsaSha512Id,
		xmlSecOpenSSLTransformEcdsaSha1Id,
		xmlSecOpenSSLTransformEcdsaSha224Id,
		xmlSecOpenSSLTransformEcdsaSha256Id,
		xmlSecOpenSSLTransformEcdsaSha384Id,
		xmlSecOpenSSLTransformEcdsaSha512Id,
	};
	size_t			 i;

	for (i = 0; i < sizeof(c14n) / sizeof(c14n[0]); i++)
		if (xmlSecDSigCtxEnableReferenceTransform(ctx, c14n[i]) < 0 ||
		    xmlSecDSigCtxEnableSignatureTransform(ctx, c14n[i]) < 0)
			return -1;
	if (xmlSecDSigCtxEnableReferenceTransform(ctx,
	    xmlSecTransformEnvelopedId) < 0)
		return -1;
	for (i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
		if (xmlSecDSigCtxEnableReferenceTransform(ctx, digests[i]) < 0)
			return -1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (xmlSecDSigCtxEnableSignatureTransform(ctx, sigs[i]) < 0)
			return -1;
	return 0;
}

enum try_result {
	TRY_OK,
	TRY_WRONG_KEY,	/* references fine, SignatureValue not with this key */
	TRY_DIGEST,	/* a reference digest failed: no key can help */
	TRY_ERROR	/* xmlsec could not process it with this key */
};

static enum try_result
try_key(xmlNode *sig, X509 *cert, int *oom)
{
	xmlSecDSigCtxPtr	 ctx = NULL;
	xmlSecKeyDataPtr	 data = NULL;
	xmlSecKeyPtr		 key = NULL;
	xmlSecDSigReferenceCtxPtr r;
	EVP_PKEY		*pk;
	xmlSecSize		 i, n;
	enum try_result		 res = TRY_ERROR;
	int			 ret, refs_ok = 1, nrefs = 0;

	if ((pk = X509_get_pubkey(cert)) == NULL)
		return TRY_ERROR;
	if ((data = xmlSecOpenSSLEvpKeyAdopt(pk)) == NULL) {
		EVP_PKEY_free(pk);
		*oom = 1;
		goto out;
	}
	if ((key = xmlSecKeyCreate()) == NULL ||
	    xmlSecKeySetValue(key, data) < 0) {
		*oom = 1;
		goto out;
	}
	data = NULL;
	if ((ctx = xmlSecDSigCtxCreate(NULL)) == NULL) {
		*oom = 1;
		goto out;
	}
	ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
	ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty |
	    xmlSecTransformUriTypeSameDocument;
	ctx->keyInfoReadCtx.enabledKeyData.use = 0;
	if (enable_transforms(ctx) < 0) {
		*oom = 1;
		goto out;
	}
	ctx->signKey = key;
	key = NULL;
	ret = xmlSecDSigCtxVerify(ctx, sig);
	n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
	for (i = 0; i < n; i++) {
		r = xmlSecPtrListGetItem(&ctx->signedInfoReferences, i);
		if (r == NULL)
			continue;
		nrefs++;
		if (r->status != xmlSecDSigStatusSucceeded)
			refs_ok = 0;
	}
	if (ret == 0 && ctx->status == xmlSecDSigStatusSucceeded)
		res = TRY_OK;
	else if (nrefs > 0 && !refs_ok)
		res = TRY_DIGEST;
	else if (ret == 0 && ctx->status == xmlSecDSigStatusInvalid)
		res = TRY_WRONG_KEY;
	else
		res = TRY_ERROR;
 out:
	if (ctx != NULL)
		xmlSecDSigCtxDestroy(ctx);
	if (key != NULL)
		xmlSecKeyDestroy(key);
	if (data != NULL)
		xmlSecKeyDataDestroy(data);
	return res;
}

/* The DER of every KeyInfo X509Certificate, to try matching signers first. */
struct derlist {
	unsigned char	*p[8];
	size_t		 len[8];
	size_t		 n;
};

static void
keyinfo_certs(xmlNode *sig, struct derlist *dl)
{
	xmlNode	*ki, *xd, *c;
	size_t	 len;

	memset(dl, 0, sizeof(*dl));
	if ((ki = child(sig, NS_DS, "KeyInfo")) == NULL)
		return;
	for (xd = ki->children; xd != NULL; xd = xd->next) {
		if (!is_el(xd, NS_DS, "X509Data"))
			continue;
		for (c = xd->children; c != NULL; c = c->next) {
			if (!is_el(c, NS_DS, "X509Certificate") ||
			    dl->n == sizeof(dl->p) / sizeof(dl->p[0]))
				continue;
			if ((dl->p[dl->n] = b64_content(c, &len)) != NULL)
				dl->len[dl->n++] = len;
		}
	}
}

static void
derlist_free(struct derlist *dl)
{
	size_t	 i;

	for (i = 0; i < dl->n; i++)
		free(dl->p[i]);
	dl->n = 0;
}

/* ---- XAdES ---- */

/* The SigningCertificate(V2) element inside the signed properties. */
static xmlNode *
xades_sigcert(xmlNode *sigprops, int *v2)
{
	xmlNode	*ssp, *sc;
	const char *ns = (const char *)sigprops->ns->href;

	if ((ssp = child(sigprops, ns, "SignedSignatureProperties")) == NULL)
		return NULL;
	if ((sc = child(ssp, ns, "SigningCertificateV2")) != NULL) {
		*v2 = 1;
		return sc;
	}
	*v2 = 0;
	return child(ssp, ns, "SigningCertificate");
}

/* 1 when a Cert/CertDigest of sc matches der, 0 when none, -1 when the
 * digest algorithm is unknown for every Cert. */
static int
xades_digest_match(xmlNode *sc, const unsigned char *der, size_t derlen)
{
	xmlNode		*c, *cd, *dm, *dv;
	xmlChar		*alg;
	const EVP_MD	*md;
	unsigned char	 want[EVP_MAX_MD_SIZE], *got;
	unsigned int	 wantlen;
	size_t		 gotlen = 0;
	const char	*ns = (const char *)sc->ns->href;
	int		 known = 0, match = 0;

	for (c = sc->children; c != NULL && !match; c = c->next) {
		if (!is_el(c, ns, "Cert") ||
		    (cd = child(c, ns, "CertDigest")) == NULL)
			continue;
		dm = child(cd, NS_DS, "DigestMethod");
		dv = child(cd, NS_DS, "DigestValue");
		if (dm == NULL || dv == NULL)
			continue;
		alg = xmlGetNoNsProp(dm, (const xmlChar *)"Algorithm");
		md = md_by_uri((const char *)alg);
		xmlFree(alg);
		if (md == NULL)
			continue;
		known = 1;
		if (EVP_Digest(der, derlen, want, &wantlen, md, NULL) != 1)
			continue;
		if ((got = b64_content(dv, &gotlen)) == NULL)
			continue;
		match = gotlen == wantlen && memcmp(got, want, wantlen) == 0;
		free(got);
	}
	if (match)
		return 1;
	return known ? 0 : -1;
}

static int
cand_matches(const struct val_cert *c, xmlNode *sigprops,
    const struct derlist *dl)
{
	xmlNode	*sc;
	size_t	 i;
	int	 v2;

	for (i = 0; i < dl->n; i++)
		if (dl->len[i] == c->der_len &&
		    memcmp(dl->p[i], c->der, c->der_len) == 0)
			return 1;
	if (sigprops != NULL && (sc = xades_sigcert(sigprops, &v2)) != NULL)
		return xades_digest_match(sc, c->der, c->der_len) == 1;
	return 0;
}

static void
check_xades(struct sigshape *sh, X509 *signer, const unsigned char *der,
    size_t derlen, int tl_version, time_t at, const char *name,
    struct tl_verified *out, struct val_report *rep)
{
	xmlNode		*sc, *ssp, *st;
	char		*s;
	time_t		 t, nb, na;
	int		 v2, m;

	if (sh->sigprops == NULL) {
		val_report_add(rep, &r_xades_missing, name, NULL);
		return;
	}
	if ((sc = xades_sigcert(sh->sigprops, &v2)) == NULL)
		val_report_add(rep, &r_sigcert_missing, name, NULL);
	else {
		m = xades_digest_match(sc, der, derlen);
		if (m != 1)
			val_report_add(rep, &r_sigcert_digest, name, m < 0 ?
			    "no supported digest algorithm" : NULL);
		if (!v2 && tl_version >= 6)
			val_report_add(rep, &r_sigcert_v1, name, NULL);
	}
	ssp = child(sh->sigprops, (const char *)sh->sigprops->ns->href,
	    "SignedSignatureProperties");
	st = child(ssp, (const char *)sh->sigprops->ns->href, "SigningTime");
	if (st == NULL) {
		val_report_add(rep, &r_st_missing, name, NULL);
		return;
	}
	if ((s = node_text(st)) == NULL || parse_xs_time(s, &t) != 0) {
		val_report_add(rep, &r_st_bad, name, "%s", s != NULL ? s : "");
		free(s);
		return;
	}
	out->signing_time = t;
	if (val_asn1_time(X509_get0_notBefore(signer), &nb) != 0 ||
	    val_asn1_time(X509_get0_notAfter(signer), &na) != 0)
		val_report_add(rep, &r_st_validity, name,
		    "unreadable validity");
	else if (t < nb || t > na)
		val_report_add(rep, &r_st_validity, name, "signed %s", s);
	else if (na < at)
		val_report_add(rep, &r_signer_expired, name, NULL);
	if (t > at)
		val_report_add(rep, &r_st_future, name, "%s", s);
	free(s);
}

/* ---- pivots named in the SchemeInformationURI ---- */

/*
 * A pivot URL: an http(s) URI ending in ".xml" whose last path component
 * contains "pivot" (the EU publishes eu-lotl-pivot-NNN.xml).
 */
static int
is_pivot_url(const char *u)
{
	const char	*last;
	size_t		 n = strlen(u);

	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	if (n < 5 || strcasecmp(u + n - 4, ".xml") != 0)
		return 0;
	last = strrchr(u, '/');
	return last != NULL && strstr(last, "pivot") != NULL;
}

static int
collect_pivots(xmlNode *root, struct tl_verified *out)
{
	xmlNode	*si, *siu, *u;
	char	*s, **grown;

	si = child(root, TL_NS, "SchemeInformation");
	siu = child(si, TL_NS, "SchemeInformationURI");
	for (u = siu != NULL ? siu->children : NULL; u != NULL; u = u->next) {
		if (!is_el(u, TL_NS, "URI") || (s = node_text(u)) == NULL)
			continue;
		if (!is_pivot_url(s) || strlen(s) > TL_MAX_URL ||
		    out->npivots >= TL_MAX_PIVOTS) {
			free(s);
			continue;
		}
		grown = reallocarray(out->pivots, out->npivots + 1,
		    sizeof(*grown));
		if (grown == NULL) {
			free(s);
			return -1;
		}
		out->pivots = grown;
		out->pivots[out->npivots++] = s;
	}
	return 0;
}

/* ---- list-level checks ---- */

static void
check_list(const struct tl_scheme *l, const struct tl_verify_in *in,
    const char *name, const struct tl_verified *out, struct val_report *rep)
{
	char	 t[VAL_TIME_LEN];
	size_t	 n = strlen(l->type), sl = strlen(LOTL_TYPE_SUFFIX);

	if (in->territory != NULL && strcmp(l->territory, in->territory) != 0)
		val_report_add(rep, &r_territory, name, "list %s, pointer %s",
		    l->territory[0] != '\0' ? l->territory : "(none)",
		    in->territory);
	if (in->lotl && (n < sl || strcmp(l->type + n - sl,
	    LOTL_TYPE_SUFFIX) != 0 || strcmp(l->territory,
	    TL_LOTL_TERRITORY) != 0))
		val_report_add(rep, &r_not_lotl, name, "type %s, %s",
		    n > 0 ? l->type : "(none)", l->territory[0] != '\0' ?
		    l->territory : "(none)");
	if (in->prev_seq >= 0 && l->seq >= 0) {
		if (l->seq < in->prev_seq)
			val_report_add(rep, &r_rollback, name,
			    "sequence %lld < last verified %lld", l->seq,
			    in->prev_seq);
		else if (l->seq == in->prev_seq && in->prev_sha256 != NULL &&
		    strcmp(in->prev_sha256, out->sha256) != 0)
			val_report_add(rep, &r_seq_reused, name,
			    "sequence %lld", l->seq);
	}
	if (l->issued != TL_NO_TIME && l->issued > in->at) {
		val_time_format(l->issued, t);
		val_report_add(rep, &r_future_issue, name, "issued %s", t);
	}
	if (l->closed)
		val_report_add(rep, &r_closed, name, NULL);
	else if (l->next_update != TL_NO_TIME && l->next_update < in->at) {
		val_time_format(l->next_update, t);
		val_report_add(rep, &r_stale, name, "NextUpdate %s", t);
	}
}

/* Copies the trimmed text of el into buf (truncated), "" when absent. */
static void
text_into(xmlNode *el, char *buf, size_t len)
{
	char	*s = node_text(el);

	buf[0] = '\0';
	if (s != NULL)
		snprintf(buf, len, "%s", s);
	free(s);
}

static long long
num_of(xmlNode *el)
{
	char		 buf[32], *end;
	long long	 v;

	text_into(el, buf, sizeof(buf));
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	v = strtoll(buf, &end, 10);
	return *end == '\0' && v >= 0 ? v : -1;
}

static time_t
time_of(xmlNode *el)
{
	char	 buf[64];
	time_t	 t;

	text_into(el, buf, sizeof(buf));
	if (buf[0] == '\0' || parse_xs_time(buf, &t) != 0)
		return TL_NO_TIME;
	return t;
}

/* SchemeInformation from the tree xmlsec verifies (no parser gap). */
static void
read_scheme(xmlNode *root, struct tl_scheme *sc)
{
	xmlNode	*si = child(root, TL_NS, "SchemeInformation"), *nu, *dt;
	long long v;

	v = num_of(child(si, TL_NS, "TSLVersionIdentifier"));
	sc->version = v >= 0 && v < 1000 ? (int)v : -1;
	sc->seq = num_of(child(si, TL_NS, "TSLSequenceNumber"));
	text_into(child(si, TL_NS, "TSLType"), sc->type, sizeof(sc->type));
	text_into(child(si, TL_NS, "SchemeTerritory"), sc->territory,
	    sizeof(sc->territory));
	sc->issued = time_of(child(si, TL_NS, "ListIssueDateTime"));
	nu = child(si, TL_NS, "NextUpdate");
	dt = child(nu, TL_NS, "dateTime");
	sc->next_update = time_of(dt);
	sc->closed = nu != NULL && sc->next_update == TL_NO_TIME;
}

/* ---- the entry points ---- */

void
tl_verified_free(struct tl_verified *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	tl_list_free(v->list);
	val_report_clear(&v->parse_rep);
	X509_free(v->signer);
	for (i = 0; i < v->npivots; i++)
		free(v->pivots[i]);
	free(v->pivots);
	memset(v, 0, sizeof(*v));
	v->signing_time = TL_NO_TIME;
}

int
tl_verify(const unsigned char *buf, size_t len, const char *name,
    const struct tl_verify_in *in, struct tl_verified *out,
    struct val_report *rep)
{
	struct sigshape		 sh;
	struct derlist		 dl;
	xmlDoc			*doc = NULL;
	const struct val_cert	*c, *ok = NULL;
	enum try_result		 tr;
	size_t			 i, pass;
	int			 oom = 0, any_wrong = 0, digest = 0;
	int			 tried = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&dl, 0, sizeof(dl));
	out->signing_time = TL_NO_TIME;
	val_report_init(&out->parse_rep);
	if (name == NULL)
		name = "list";
	sha256_hex(buf, len, out->sha256);

	out->scheme.version = -1;
	out->scheme.seq = -1;
	out->scheme.issued = out->scheme.next_update = TL_NO_TIME;
	/* The parser's full view (pointers, services) when asked for. */
	if (in->want_list || in->lotl) {
		out->list = tl_parse(buf, len, name, &out->parse_rep);
		if (out->parse_rep.oom)
			goto nomem;
	}
	if ((doc = tl_xml_read(buf, len, name, rep)) == NULL) {
		/* The parser read the same bytes with the same reader: its
		 * findings are the ones just added to rep, so report once. */
		val_report_clear(&out->parse_rep);
		rc = rep->oom ? -1 : 0;
		goto out;
	}
	read_scheme(xmlDocGetRootElement(doc), &out->scheme);
	if (check_shape(doc, name, &sh, rep) != 0) {
		rc = 0;
		goto out;
	}
	if (collect_pivots(sh.root, out) != 0)
		goto nomem;

	if (in->signers == NULL || in->signers->n == 0) {
		val_report_add(rep, &r_no_signers, name, NULL);
		rc = 0;
		goto out;
	}
	keyinfo_certs(sh.sig, &dl);
	/* Pass 0: candidates named by KeyInfo or XAdES; pass 1: the rest. */
	for (pass = 0; pass < 2 && ok == NULL && !digest && !oom; pass++) {
		for (i = 0; i < in->signers->n && ok == NULL && !digest &&
		    !oom; i++) {
			c = &in->signers->v[i];
			if (c->x509 == NULL ||
			    cand_matches(c, sh.sigprops, &dl) != (pass == 0))
				continue;
			tried++;
			tr = try_key(sh.sig, c->x509, &oom);
			if (tr == TRY_OK)
				ok = c;
			else if (tr == TRY_DIGEST)
				digest = 1;
			else if (tr == TRY_WRONG_KEY)
				any_wrong = 1;
		}
	}
	if (oom)
		goto nomem;
	if (ok == NULL) {
		if (digest)
			val_report_add(rep, &r_digest, name, NULL);
		else if (any_wrong)
			val_report_add(rep, &r_signer, name,
			    "%d candidate(s) tried", tried);
		else
			val_report_add(rep, &r_sig_error, name,
			    "%d candidate(s) tried", tried);
		rc = 0;
		goto out;
	}
	if ((out->signer = X509_dup(ok->x509)) == NULL)
		goto nomem;
	sha256_hex(ok->der, ok->der_len, out->signer_sha256);
	check_xades(&sh, ok->x509, ok->der, ok->der_len, out->scheme.version,
	    in->at, name, out, rep);
	if ((in->want_list || in->lotl) && out->list == NULL)
		val_report_add(rep, &r_parse, name, NULL);
	check_list(&out->scheme, in, name, out, rep);
	rc = rep->oom ? -1 : 0;
	goto out;
 nomem:
	val_report_add(rep, &r_nomem, name, NULL);
	rep->oom = 1;
	rc = -1;
 out:
	derlist_free(&dl);
	xmlFreeDoc(doc);
	return rc;
}

int
tl_pointer_certs(const struct tl_list *lotl, const char *terr,
    struct val_certs *out, char *err, size_t errlen)
{
	const struct tl_pointer	*p;
	size_t			 from = 0, i, j;
	int			 added = 0, dup;
	char			 nm[64];

	while ((p = tl_list_pointer_next(lotl, terr, &from)) != NULL) {
		for (i = 0; i < p->ncerts; i++) {
			for (j = 0, dup = 0; j < out->n && !dup; j++)
				dup = out->v[j].der_len == p->certs[i].len &&
				    memcmp(out->v[j].der, p->certs[i].p,
				    p->certs[i].len) == 0;
			if (dup)
				continue;
			if (out->n >= TL_MAX_SIGNERS) {
				snprintf(err, errlen, "more than %d signer "
				    "certificates for %s", TL_MAX_SIGNERS,
				    terr);
				return -1;
			}
			snprintf(nm, sizeof(nm), "pointer %s #%zu", terr, i + 1);
			if (val_certs_load_mem(p->certs[i].p, p->certs[i].len,
			    nm, out, err, errlen) != 0)
				return -1;
			added++;
		}
	}
	return added;
}

int
tl_embedded_certs(const unsigned char *buf, size_t len,
    struct val_certs *out, char *err, size_t errlen)
{
	struct val_report	 rep;
	struct sigshape		 sh;
	struct derlist		 dl;
	xmlDoc			*doc;
	size_t			 i;
	int			 n = -1;

	val_report_init(&rep);
	memset(&dl, 0, sizeof(dl));
	if ((doc = tl_xml_read(buf, len, "list", &rep)) == NULL) {
		snprintf(err, errlen, "not a readable list");
		goto out;
	}
	if (check_shape(doc, "list", &sh, &rep) != 0) {
		snprintf(err, errlen, "no usable ds:Signature");
		goto out;
	}
	keyinfo_certs(sh.sig, &dl);
	for (i = 0; i < dl.n; i++)
		if (val_certs_load_mem(dl.p[i], dl.len[i], "KeyInfo", out,
		    err, errlen) != 0)
			goto out;
	n = (int)dl.n;
 out:
	derlist_free(&dl);
	xmlFreeDoc(doc);
	val_report_clear(&rep);
	return n;
}

int
tl_certs_append(struct val_certs *dst, const struct val_certs *src)
{
	char	 err[256];
	size_t	 i;

	for (i = 0; i < src->n; i++)
		if (val_certs_load_mem(src->v[i].der, src->v[i].der_len,
		    src->v[i].where, dst, err, sizeof(err)) != 0)
			return -1;
	return 0;
}

/* Sorts pivot indices by sequence number, oldest first. */
struct pivot_ent {
	size_t		 idx;
	long long	 seq;
};

static int
pivot_cmp(const void *a, const void *b)
{
	const struct pivot_ent	*x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
tl_pivot_walk(const struct tl_blob_in *pv, size_t npv,
    const struct val_certs *anchors, time_t at, struct val_certs *out,
    struct val_report *rep)
{
	struct pivot_ent	*ord = NULL;
	struct val_certs	 cur, next;
	struct val_report	 prep, sub;
	struct tl_verify_in	 in;
	struct tl_verified	 v;
	struct tl_list		*l;
	char			 err[256];
	size_t			 i, k;
	int			 rc = -1;

	memset(&cur, 0, sizeof(cur));
	memset(&next, 0, sizeof(next));
	memset(out, 0, sizeof(*out));
	if (npv > TL_MAX_PIVOTS) {
		val_report_add(rep, &r_pivot_count, NULL, "%zu > %d", npv,
		    TL_MAX_PIVOTS);
		return -1;
	}
	if (npv > 0 && (ord = calloc(npv, sizeof(*ord))) == NULL)
		goto nomem;
	for (i = 0; i < npv; i++) {
		val_report_init(&prep);
		l = tl_parse(pv[i].p, pv[i].len, pv[i].name, &prep);
		ord[i].idx = i;
		ord[i].seq = l != NULL ? l->seq : -1;
		tl_list_free(l);
		val_report_clear(&prep);
		if (ord[i].seq < 0) {
			val_report_add(rep, &r_pivot_order, pv[i].name,
			    "no sequence number");
			goto out;
		}
	}
	if (npv > 1)
		qsort(ord, npv, sizeof(*ord), pivot_cmp);
	for (i = 1; i < npv; i++)
		if (ord[i].seq == ord[i - 1].seq) {
			val_report_add(rep, &r_pivot_order,
			    pv[ord[i].idx].name, "sequence %lld twice",
			    ord[i].seq);
			goto out;
		}
	if (tl_certs_append(&cur, anchors) != 0)
		goto nomem;
	for (i = 0; i < npv; i++) {
		const struct tl_blob_in	*p = &pv[ord[i].idx];

		memset(&in, 0, sizeof(in));
		in.signers = &cur;
		in.at = at;
		in.lotl = 1;
		in.prev_seq = -1;
		val_report_init(&sub);
		if (tl_verify(p->p, p->len, p->name, &in, &v, &sub) != 0) {
			val_report_move(rep, &sub);
			tl_verified_free(&v);
			goto nomem;
		}
		/* A pivot is history: its NextUpdate has passed by design
		 * (TLV-STALE is a warning); only failures break the chain. */
		if (val_report_verdict(&sub) == VAL_VERDICT_FAIL) {
			val_report_add(rep, &r_pivot_broken, p->name,
			    "sequence %lld", ord[i].seq);
			val_report_move(rep, &sub);
			tl_verified_free(&v);
			goto out;
		}
		for (k = 0; k < sub.n; k++)
			if (strcmp(sub.items[k].rule->code, "TLV-STALE") != 0)
				val_report_add(rep, sub.items[k].rule,
				    sub.items[k].where,
				    sub.items[k].detail != NULL ? "%s" : NULL,
				    sub.items[k].detail);
		val_report_clear(&sub);
		if (v.list == NULL || tl_pointer_certs(v.list,
		    TL_LOTL_TERRITORY, &next, err, sizeof(err)) <= 0) {
			val_report_add(rep, &r_pivot_noeu, p->name, "%s",
			    v.list == NULL ? "unparsed" : err);
			tl_verified_free(&v);
			goto out;
		}
		tl_verified_free(&v);
		val_certs_free(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
	}
	*out = cur;
	memset(&cur, 0, sizeof(cur));
	rc = 0;
	goto out;
 nomem:
	val_report_add(rep, &r_nomem, NULL, NULL);
	rep->oom = 1;
 out:
	free(ord);
	val_certs_free(&cur);
	val_certs_free(&next);
	return rc;
}
