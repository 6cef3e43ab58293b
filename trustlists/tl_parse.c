/*
 * tl_parse.c: an ETSI TS 119 612 trusted list (versions 5 and 6, and the
 * older ones as far as they share the structure) from bytes to plain
 * struct tl_list.  No xmlDoc leaves this file; no cryptography is done.
 *
 * What it reads: SchemeInformation (5.3: version, sequence number, type,
 * operator name, territory, issue date, next update, pointers to other
 * lists with their signer certificates), TrustServiceProviderList (5.4:
 * TSP name; 5.5: services with type, name, digital identities, status,
 * status starting time, the Qualifications and AdditionalServiceInformation
 * extensions; 5.6: history instances), and structural facts the verifier
 * needs (root Id, ds:Signature count, BOM).
 *
 * What it ignores on purpose: postal addresses, URIs of policies and
 * information, supply points, TakenOverBy and the other extensions (they
 * are counted), CriteriaList details beyond the assert attribute and the
 * number of criteria.  Namespaces are matched by URI, never by prefix.
 *
 * Every missing or malformed field is a finding citing its clause; limits
 * (tl.h TL_MAX_*) stop collection with a TL-LIMIT finding.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "tl.h"

static const struct val_rule r_scheme = { "TL-SCHEME-MISSING", VAL_FATAL,
    "ETSI TS 119 612 5.3", "no SchemeInformation" };
static const struct val_rule r_version = { "TL-VERSION-MISSING", VAL_ERROR,
    "ETSI TS 119 612 5.3.1", "no valid TSLVersionIdentifier" };
static const struct val_rule r_version_old = { "TL-VERSION-UNSUPPORTED",
    VAL_WARN, "ETSI TS 119 612 5.3.1",
    "TSLVersionIdentifier is neither 5 nor 6" };
static const struct val_rule r_seq = { "TL-SEQ-MISSING", VAL_ERROR,
    "ETSI TS 119 612 5.3.2", "no valid TSLSequenceNumber" };
static const struct val_rule r_type = { "TL-TYPE-MISSING", VAL_ERROR,
    "ETSI TS 119 612 5.3.3", "no TSLType" };
static const struct val_rule r_operator = { "TL-OPERATOR-MISSING", VAL_WARN,
    "ETSI TS 119 612 5.3.4", "no SchemeOperatorName" };
static const struct val_rule r_territory = { "TL-TERRITORY-MISSING",
    VAL_ERROR, "ETSI TS 119 612 5.3.10", "no SchemeTerritory" };
static const struct val_rule r_issued = { "TL-ISSUED-MISSING", VAL_ERROR,
    "ETSI TS 119 612 5.3.14", "no valid ListIssueDateTime" };
static const struct val_rule r_next = { "TL-NEXTUPDATE-MISSING", VAL_ERROR,
    "ETSI TS 119 612 5.3.15", "no NextUpdate" };
static const struct val_rule r_closed = { "TL-CLOSED", VAL_INFO,
    "ETSI TS 119 612 5.3.15", "empty NextUpdate: the list is closed" };
static const struct val_rule r_time = { "TL-TIME-BAD", VAL_ERROR,
    "ETSI TS 119 612 5.1.4", "a date-time is not valid UTC xsd:dateTime" };
static const struct val_rule r_ptr_loc = { "TL-POINTER-NO-LOCATION",
    VAL_ERROR, "ETSI TS 119 612 5.3.13.1",
    "OtherTSLPointer without TSLLocation" };
static const struct val_rule r_ptr_terr = { "TL-POINTER-NO-TERRITORY",
    VAL_WARN, "ETSI TS 119 612 5.3.13.2",
    "OtherTSLPointer without SchemeTerritory" };
static const struct val_rule r_tsp_name = { "TL-TSP-NO-NAME", VAL_ERROR,
    "ETSI TS 119 612 5.4.1", "TSP without TSPName" };
static const struct val_rule r_tsp_nosvc = { "TL-TSP-NO-SERVICE", VAL_ERROR,
    "ETSI TS 119 612 5.4.7", "TSP without any TSPService" };
static const struct val_rule r_svc_info = { "TL-SVC-NO-INFORMATION",
    VAL_ERROR, "ETSI TS 119 612 5.5", "TSPService without "
    "ServiceInformation" };
static const struct val_rule r_svc_type = { "TL-SVC-NO-TYPE", VAL_ERROR,
    "ETSI TS 119 612 5.5.1", "service without ServiceTypeIdentifier" };
static const struct val_rule r_svc_name = { "TL-SVC-NO-NAME", VAL_WARN,
    "ETSI TS 119 612 5.5.2", "service without ServiceName" };
static const struct val_rule r_svc_id = { "TL-SVC-NO-IDENTITY", VAL_ERROR,
    "ETSI TS 119 612 5.5.3", "service without ServiceDigitalIdentity" };
static const struct val_rule r_hist_id = { "TL-HISTORY-NO-IDENTITY",
    VAL_WARN, "ETSI TS 119 612 5.6.3", "history instance without "
    "ServiceDigitalIdentity" };
static const struct val_rule r_svc_status = { "TL-SVC-NO-STATUS", VAL_ERROR,
    "ETSI TS 119 612 5.5.4", "service without ServiceStatus" };
static const struct val_rule r_svc_start = { "TL-SVC-NO-START", VAL_ERROR,
    "ETSI TS 119 612 5.5.5", "service without valid StatusStartingTime" };
static const struct val_rule r_hist_order = { "TL-HISTORY-ORDER", VAL_WARN,
    "ETSI TS 119 612 5.6", "a history instance starts after the "
    "current status" };
static const struct val_rule r_b64 = { "TL-BASE64-BAD", VAL_ERROR,
    "ETSI TS 119 612 5.5.3", "X509Certificate or X509SKI is not valid "
    "base64" };
static const struct val_rule r_limit = { "TL-LIMIT", VAL_ERROR,
    "ETSI TS 119 612; xbrg TL_MAX_*", "more entries than the limit; "
    "the rest are ignored" };
static const struct val_rule r_text = { "TL-TEXT-LONG", VAL_ERROR,
    "ETSI TS 119 612; xbrg TL_MAX_TEXT", "a text value is longer than "
    "the limit" };
static const struct val_rule r_oom = { "TL-NOMEM", VAL_FATAL,
    "xbrg", "out of memory while parsing the list" };

struct pctx {
	struct val_report	*rep;
	const char		*name;
	int			 oom;
	size_t			 nservices;
	int			 services_full;
};

#define X(s)	((const xmlChar *)(s))

static int
is_el(const xmlNode *n, const char *ns, const char *local)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 &&
	    strcmp((const char *)n->name, local) == 0;
}

static xmlNode *
kid(const xmlNode *n, const char *ns, const char *local)
{
	xmlNode	*c;

	if (n == NULL)
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c, ns, local))
			return c;
	return NULL;
}

/* The next sibling after c with the same ns and name. */
static xmlNode *
next_el(const xmlNode *c, const char *ns, const char *local)
{
	for (c = c->next; c != NULL; c = c->next)
		if (is_el(c, ns, local))
			return (xmlNode *)c;
	return NULL;
}

/* The first element child, whatever its name. */
static xmlNode *
first_el(const xmlNode *n)
{
	xmlNode	*c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

static void
where(struct pctx *pc, const xmlNode *n, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%ld", pc->name, n != NULL ?
	    xmlGetLineNo((xmlNode *)n) : 0L);
}

static void
add(struct pctx *pc, const struct val_rule *r, const xmlNode *n,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add(struct pctx *pc, const struct val_rule *r, const xmlNode *n,
    const char *fmt, ...)
{
	char	 w[512];
	va_list	 ap;

	where(pc, n, w, sizeof(w));
	va_start(ap, fmt);
	if (val_report_addv(pc->rep, r, w, fmt, ap) != 0)
		pc->oom = 1;
	va_end(ap);
}

/* Grows *arr to hold n+1 elements of size sz.  Returns 0 or -1 (oom). */
static int
grow(struct pctx *pc, void **arr, size_t *cap, size_t n, size_t sz)
{
	void	*p;
	size_t	 ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	if ((p = reallocarray(*arr, ncap, sz)) == NULL) {
		pc->oom = 1;
		return -1;
	}
	memset((char *)p + *cap * sz, 0, (ncap - *cap) * sz);
	*arr = p;
	*cap = ncap;
	return 0;
}

/*
 * The text of n with leading and trailing white space removed, owned, or
 * NULL (absent node, empty text, too long, or oom).
 */
static char *
text(struct pctx *pc, const xmlNode *n)
{
	xmlChar	*c;
	char	*s = NULL;
	size_t	 a, b;

	if (n == NULL)
		return NULL;
	if ((c = xmlNodeGetContent(n)) == NULL) {
		pc->oom = 1;
		return NULL;
	}
	b = strlen((char *)c);
	if (b > TL_MAX_TEXT) {
		add(pc, &r_text, n, "%s: %zu bytes", (const char *)n->name, b);
		goto out;
	}
	for (a = 0; a < b && isspace((unsigned char)c[a]); a++)
		;
	while (b > a && isspace((unsigned char)c[b - 1]))
		b--;
	if (b == a)
		goto out;
	if ((s = strndup((char *)c + a, b - a)) == NULL)
		pc->oom = 1;
 out:
	xmlFree(c);
	return s;
}

/* A multilingual name: the "en" Name child of n, else the first one. */
static char *
ml_name(struct pctx *pc, const xmlNode *n)
{
	xmlNode	*c, *pick = NULL;
	xmlChar	*lang;

	if (n == NULL)
		return NULL;
	for (c = kid(n, TL_NS, "Name"); c != NULL;
	    c = next_el(c, TL_NS, "Name")) {
		if (pick == NULL)
			pick = c;
		lang = xmlGetNsProp(c, X("lang"), XML_XML_NAMESPACE);
		if (lang != NULL && strcasecmp((char *)lang, "en") == 0) {
			xmlFree(lang);
			pick = c;
			break;
		}
		xmlFree(lang);
	}
	return text(pc, pick);
}

/*
 * An xsd:dateTime in UTC.  Lists write "2026-07-15T00:00:00Z"; a few omit
 * the zone, which TS 119 612 5.1.4 does not allow: read as UTC with a
 * finding.
 */
static time_t
date(struct pctx *pc, const xmlNode *n, int *bad)
{
	char	*s, buf[64];
	time_t	 t = TL_NO_TIME;
	size_t	 len;

	*bad = 0;
	if ((s = text(pc, n)) == NULL)
		return TL_NO_TIME;
	if (val_time_parse(s, &t) != 0) {
		len = strlen(s);
		if (len == 19 && len + 2 < sizeof(buf)) {
			snprintf(buf, sizeof(buf), "%sZ", s);
			if (val_time_parse(buf, &t) == 0) {
				add(pc, &r_time, n, "no time zone: %s", s);
				goto out;
			}
		}
		add(pc, &r_time, n, "%s: '%.64s'", (const char *)n->name, s);
		*bad = 1;
		t = TL_NO_TIME;
	}
 out:
	free(s);
	return t;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 with white space anywhere.  Returns 0 or -1. */
static int
b64(const char *s, struct tl_blob *out)
{
	unsigned char	*p;
	size_t		 n = 0, len = strlen(s), pad = 0, k = 0;
	uint32_t	 acc = 0;
	int		 v;

	if ((p = malloc(len / 4 * 3 + 3)) == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64val((unsigned char)*s)) < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		if (++k == 4) {
			p[n++] = acc >> 16;
			p[n++] = acc >> 8;
			p[n++] = acc;
			k = 0;
			acc = 0;
		}
	}
	if (k == 1 || pad > 2 || (k == 0 && pad != 0) ||
	    (k != 0 && k + pad != 4))
		goto bad;
	if (k == 2)
		p[n++] = acc >> 4;
	else if (k == 3) {
		p[n++] = acc >> 10;
		p[n++] = acc >> 2;
	}
	if (n == 0)
		goto bad;
	out->p = p;
	out->len = n;
	return 0;
 bad:
	free(p);
	return 1;
}

/* Base64 text of n into out.  Returns 0, or -1 (finding added). */
static int
blob(struct pctx *pc, const xmlNode *n, struct tl_blob *out)
{
	char	*s;
	int	 rc;

	if ((s = text(pc, n)) == NULL) {
		if (!pc->oom)
			add(pc, &r_b64, n, "%s: empty", (const char *)n->name);
		return -1;
	}
	rc = b64(s, out);
	free(s);
	if (rc < 0) {
		pc->oom = 1;
		return -1;
	}
	if (rc > 0) {
		add(pc, &r_b64, n, "%s", (const char *)n->name);
		return -1;
	}
	return 0;
}

static void
service_info_free(struct tl_service_info *si)
{
	size_t	 i, j;

	free(si->type);
	free(si->name);
	free(si->status);
	for (i = 0; i < si->nids; i++) {
		free(si->ids[i].data.p);
		free(si->ids[i].text);
	}
	free(si->ids);
	for (i = 0; i < si->nquals; i++) {
		for (j = 0; j < si->quals[i].nqualifiers; j++)
			free(si->quals[i].qualifiers[j]);
		free(si->quals[i].qualifiers);
		free(si->quals[i].assert);
	}
	free(si->quals);
	for (i = 0; i < si->nasi; i++)
		free(si->asi[i]);
	free(si->asi);
}

void
tl_list_free(struct tl_list *l)
{
	size_t	 i, j, k;

	if (l == NULL)
		return;
	free(l->root_id);
	free(l->type);
	free(l->territory);
	free(l->operator_name);
	for (i = 0; i < l->npointers; i++) {
		free(l->pointers[i].location);
		free(l->pointers[i].territory);
		free(l->pointers[i].type);
		free(l->pointers[i].mime_type);
		for (j = 0; j < l->pointers[i].ncerts; j++)
			free(l->pointers[i].certs[j].p);
		free(l->pointers[i].certs);
	}
	free(l->pointers);
	for (i = 0; i < l->ntsps; i++) {
		free(l->tsps[i].name);
		for (j = 0; j < l->tsps[i].nservices; j++) {
			struct tl_service *s = &l->tsps[i].services[j];

			service_info_free(&s->cur);
			for (k = 0; k < s->nhistory; k++)
				service_info_free(&s->history[k]);
			free(s->history);
		}
		free(l->tsps[i].services);
	}
	free(l->tsps);
	free(l);
}

/* ServiceDigitalIdentity (5.5.3): its DigitalId children. */
static void
parse_ids(struct pctx *pc, const xmlNode *sdi, struct tl_service_info *si)
{
	xmlNode			*d, *c;
	struct tl_digital_id	 id;
	size_t			 cap = 0;

	for (d = kid(sdi, TL_NS, "DigitalId"); d != NULL && !pc->oom;
	    d = next_el(d, TL_NS, "DigitalId")) {
		if ((c = first_el(d)) == NULL)
			continue;
		memset(&id, 0, sizeof(id));
		if (is_el(c, TL_NS, "X509Certificate")) {
			id.kind = TL_ID_CERT;
			if (blob(pc, c, &id.data) != 0)
				continue;
		} else if (is_el(c, TL_NS, "X509SKI")) {
			id.kind = TL_ID_SKI;
			if (blob(pc, c, &id.data) != 0)
				continue;
		} else if (is_el(c, TL_NS, "X509SubjectName")) {
			id.kind = TL_ID_SUBJECT;
			if ((id.text = text(pc, c)) == NULL)
				continue;
		} else
			id.kind = TL_ID_OTHER;
		if (si->nids >= TL_MAX_IDENTITIES) {
			add(pc, &r_limit, d, "DigitalId > %d",
			    TL_MAX_IDENTITIES);
			free(id.data.p);
			free(id.text);
			break;
		}
		if (grow(pc, (void **)&si->ids, &cap, si->nids,
		    sizeof(*si->ids)) != 0) {
			free(id.data.p);
			free(id.text);
			break;
		}
		si->ids[si->nids++] = id;
	}
}

/* The Qualifications extension (5.5.9.2). */
static void
parse_quals(struct pctx *pc, const xmlNode *qs, struct tl_service_info *si,
    size_t *cap)
{
	xmlNode			*qe, *q, *cl, *c;
	struct tl_qualification	*tq;
	size_t			 qcap;
	xmlChar			*uri;

	for (qe = kid(qs, TL_NS_SIE, "QualificationElement");
	    qe != NULL && !pc->oom;
	    qe = next_el(qe, TL_NS_SIE, "QualificationElement")) {
		if (si->nquals >= TL_MAX_QUALIFICATIONS) {
			add(pc, &r_limit, qe, "QualificationElement > %d",
			    TL_MAX_QUALIFICATIONS);
			return;
		}
		if (grow(pc, (void **)&si->quals, cap, si->nquals,
		    sizeof(*si->quals)) != 0)
			return;
		tq = &si->quals[si->nquals++];
		qcap = 0;
		for (q = kid(kid(qe, TL_NS_SIE, "Qualifiers"), TL_NS_SIE,
		    "Qualifier"); q != NULL && !pc->oom;
		    q = next_el(q, TL_NS_SIE, "Qualifier")) {
			if (tq->nqualifiers >= TL_MAX_QUALIFIERS) {
				add(pc, &r_limit, q, "Qualifier > %d",
				    TL_MAX_QUALIFIERS);
				break;
			}
			if ((uri = xmlGetProp(q, X("uri"))) == NULL)
				continue;
			if (grow(pc, (void **)&tq->qualifiers, &qcap,
			    tq->nqualifiers, sizeof(char *)) != 0 ||
			    (tq->qualifiers[tq->nqualifiers] =
			    strdup((char *)uri)) == NULL)
				pc->oom = 1;
			else
				tq->nqualifiers++;
			xmlFree(uri);
		}
		if ((cl = kid(qe, TL_NS_SIE, "CriteriaList")) != NULL) {
			if ((uri = xmlGetProp(cl, X("assert"))) != NULL) {
				if ((tq->assert = strdup((char *)uri)) == NULL)
					pc->oom = 1;
				xmlFree(uri);
			}
			for (c = cl->children; c != NULL; c = c->next)
				if (c->type == XML_ELEMENT_NODE)
					tq->ncriteria++;
		}
	}
}

/* ServiceInformationExtensions (5.5.9). */
static void
parse_exts(struct pctx *pc, const xmlNode *exts, struct tl_service_info *si)
{
	xmlNode	*e, *c, *u;
	size_t	 qcap = 0, acap = 0;
	char	*s;

	for (e = kid(exts, TL_NS, "Extension"); e != NULL && !pc->oom;
	    e = next_el(e, TL_NS, "Extension")) {
		si->nextensions++;
		for (c = e->children; c != NULL && !pc->oom; c = c->next) {
			if (is_el(c, TL_NS_SIE, "Qualifications"))
				parse_quals(pc, c, si, &qcap);
			if (!is_el(c, TL_NS, "AdditionalServiceInformation"))
				continue;
			if ((u = kid(c, TL_NS, "URI")) == NULL)
				continue;
			if (si->nasi >= TL_MAX_ASI) {
				add(pc, &r_limit, u, "ASI > %d", TL_MAX_ASI);
				continue;
			}
			if ((s = text(pc, u)) == NULL)
				continue;
			if (grow(pc, (void **)&si->asi, &acap, si->nasi,
			    sizeof(char *)) != 0) {
				free(s);
				break;
			}
			si->asi[si->nasi++] = s;
		}
	}
}

/*
 * One ServiceInformation or ServiceHistoryInstance; they share element
 * names (5.5 and 5.6).
 */
static void
parse_info(struct pctx *pc, const xmlNode *n, struct tl_service_info *si,
    int history)
{
	xmlNode	*c;
	int	 bad;

	c = kid(n, TL_NS, "ServiceTypeIdentifier");
	if ((si->type = text(pc, c)) == NULL && !pc->oom)
		add(pc, &r_svc_type, n, NULL);
	c = kid(n, TL_NS, "ServiceName");
	if ((si->name = ml_name(pc, c)) == NULL && !pc->oom)
		add(pc, &r_svc_name, n, NULL);
	c = kid(n, TL_NS, "ServiceDigitalIdentity");
	if (c != NULL)
		parse_ids(pc, c, si);
	if (si->nids == 0 && !pc->oom)
		add(pc, history ? &r_hist_id : &r_svc_id, n, NULL);
	c = kid(n, TL_NS, "ServiceStatus");
	if ((si->status = text(pc, c)) == NULL && !pc->oom)
		add(pc, &r_svc_status, n, NULL);
	c = kid(n, TL_NS, "StatusStartingTime");
	si->status_start = date(pc, c, &bad);
	if (si->status_start == TL_NO_TIME && !bad && !pc->oom)
		add(pc, &r_svc_start, n, NULL);
	c = kid(n, TL_NS, "ServiceInformationExtensions");
	if (c != NULL)
		parse_exts(pc, c, si);
}

static void
parse_service(struct pctx *pc, const xmlNode *n, struct tl_service *s)
{
	xmlNode	*c, *h;
	size_t	 cap = 0, i;

	if ((c = kid(n, TL_NS, "ServiceInformation")) == NULL) {
		add(pc, &r_svc_info, n, NULL);
		s->cur.status_start = TL_NO_TIME;
	} else
		parse_info(pc, c, &s->cur, 0);
	c = kid(n, TL_NS, "ServiceHistory");
	for (h = kid(c, TL_NS, "ServiceHistoryInstance"); h != NULL &&
	    !pc->oom; h = next_el(h, TL_NS, "ServiceHistoryInstance")) {
		if (s->nhistory >= TL_MAX_HISTORY) {
			add(pc, &r_limit, h, "ServiceHistoryInstance > %d",
			    TL_MAX_HISTORY);
			break;
		}
		if (grow(pc, (void **)&s->history, &cap, s->nhistory,
		    sizeof(*s->history)) != 0)
			break;
		parse_info(pc, h, &s->history[s->nhistory++], 1);
	}
	for (i = 0; i < s->nhistory; i++)
		if (s->cur.status_start != TL_NO_TIME &&
		    s->history[i].status_start != TL_NO_TIME &&
		    s->history[i].status_start > s->cur.status_start) {
			add(pc, &r_hist_order, n, "history %zu", i);
			break;
		}
}

static void
parse_tsp(struct pctx *pc, const xmlNode *n, struct tl_tsp *t)
{
	xmlNode	*info, *c;
	size_t	 cap = 0;

	info = kid(n, TL_NS, "TSPInformation");
	if ((t->name = ml_name(pc, kid(info, TL_NS, "TSPName"))) == NULL &&
	    !pc->oom)
		add(pc, &r_tsp_name, n, NULL);
	c = kid(kid(n, TL_NS, "TSPServices"), TL_NS, "TSPService");
	if (c == NULL)
		add(pc, &r_tsp_nosvc, n, NULL);
	for (; c != NULL && !pc->oom; c = next_el(c, TL_NS, "TSPService")) {
		if (pc->nservices >= TL_MAX_SERVICES) {
			if (!pc->services_full)
				add(pc, &r_limit, c, "TSPService > %d",
				    TL_MAX_SERVICES);
			pc->services_full = 1;
			break;
		}
		if (grow(pc, (void **)&t->services, &cap, t->nservices,
		    sizeof(*t->services)) != 0)
			break;
		parse_service(pc, c, &t->services[t->nservices++]);
		pc->nservices++;
	}
}

/* A child of OtherTSLPointer/AdditionalInformation/OtherInformation. */
static xmlNode *
other_info(const xmlNode *ptr, const char *ns, const char *local)
{
	xmlNode	*oi, *c;

	for (oi = kid(kid(ptr, TL_NS, "AdditionalInformation"), TL_NS,
	    "OtherInformation"); oi != NULL;
	    oi = next_el(oi, TL_NS, "OtherInformation"))
		for (c = oi->children; c != NULL; c = c->next)
			if (is_el(c, ns, local))
				return c;
	return NULL;
}

static void
parse_pointer(struct pctx *pc, const xmlNode *n, struct tl_pointer *p)
{
	xmlNode		*sdi, *d, *c;
	struct tl_blob	 b;
	size_t		 cap = 0;

	if ((p->location = text(pc, kid(n, TL_NS, "TSLLocation"))) == NULL &&
	    !pc->oom)
		add(pc, &r_ptr_loc, n, NULL);
	p->territory = text(pc, other_info(n, TL_NS, "SchemeTerritory"));
	if (p->territory == NULL && !pc->oom)
		add(pc, &r_ptr_terr, n, "%s", p->location ? p->location : "");
	p->type = text(pc, other_info(n, TL_NS, "TSLType"));
	p->mime_type = text(pc, other_info(n, TL_NS_ADD, "MimeType"));
	sdi = kid(n, TL_NS, "ServiceDigitalIdentities");
	for (sdi = kid(sdi, TL_NS, "ServiceDigitalIdentity"); sdi != NULL &&
	    !pc->oom; sdi = next_el(sdi, TL_NS, "ServiceDigitalIdentity"))
		for (d = kid(sdi, TL_NS, "DigitalId"); d != NULL && !pc->oom;
		    d = next_el(d, TL_NS, "DigitalId")) {
			if ((c = kid(d, TL_NS, "X509Certificate")) == NULL)
				continue;
			if (p->ncerts >= TL_MAX_POINTER_CERTS) {
				add(pc, &r_limit, c, "pointer certificates "
				    "> %d", TL_MAX_POINTER_CERTS);
				return;
			}
			if (blob(pc, c, &b) != 0)
				continue;
			if (grow(pc, (void **)&p->certs, &cap, p->ncerts,
			    sizeof(*p->certs)) != 0) {
				free(b.p);
				return;
			}
			p->certs[p->ncerts++] = b;
		}
}

static void
parse_scheme(struct pctx *pc, const xmlNode *si, struct tl_list *l)
{
	xmlNode		*c;
	char		*s, *end;
	long long	 v;
	size_t		 cap = 0;
	int		 bad;

	s = text(pc, kid(si, TL_NS, "TSLVersionIdentifier"));
	errno = 0;
	v = s != NULL ? strtoll(s, &end, 10) : -1;
	if (s == NULL || *end != '\0' || errno != 0 || v < 0 || v > 1000) {
		add(pc, &r_version, si, "%s", s != NULL ? s : "absent");
		v = -1;
	} else if (v != 5 && v != 6)
		add(pc, &r_version_old, si, "version %lld", v);
	l->version = (int)v;
	free(s);

	s = text(pc, kid(si, TL_NS, "TSLSequenceNumber"));
	errno = 0;
	v = s != NULL ? strtoll(s, &end, 10) : -1;
	if (s == NULL || *end != '\0' || errno != 0 || v < 1) {
		add(pc, &r_seq, si, "%s", s != NULL ? s : "absent");
		v = -1;
	}
	l->seq = v;
	free(s);

	if ((l->type = text(pc, kid(si, TL_NS, "TSLType"))) == NULL &&
	    !pc->oom)
		add(pc, &r_type, si, NULL);
	l->operator_name = ml_name(pc, kid(si, TL_NS, "SchemeOperatorName"));
	if (l->operator_name == NULL && !pc->oom)
		add(pc, &r_operator, si, NULL);
	l->territory = text(pc, kid(si, TL_NS, "SchemeTerritory"));
	if (l->territory == NULL && !pc->oom)
		add(pc, &r_territory, si, NULL);

	c = kid(si, TL_NS, "ListIssueDateTime");
	l->issued = date(pc, c, &bad);
	if (l->issued == TL_NO_TIME && !bad && !pc->oom)
		add(pc, &r_issued, si, NULL);

	l->next_update = TL_NO_TIME;
	if ((c = kid(si, TL_NS, "NextUpdate")) == NULL)
		add(pc, &r_next, si, NULL);
	else if ((c = kid(c, TL_NS, "dateTime")) == NULL ||
	    (s = text(pc, c)) == NULL) {
		if (!pc->oom) {
			l->closed = 1;
			add(pc, &r_closed, si, NULL);
		}
	} else {
		free(s);
		l->next_update = date(pc, c, &bad);
	}

	c = kid(kid(si, TL_NS, "PointersToOtherTSL"), TL_NS,
	    "OtherTSLPointer");
	for (; c != NULL && !pc->oom;
	    c = next_el(c, TL_NS, "OtherTSLPointer")) {
		if (l->npointers >= TL_MAX_POINTERS) {
			add(pc, &r_limit, c, "OtherTSLPointer > %d",
			    TL_MAX_POINTERS);
			break;
		}
		if (grow(pc, (void **)&l->pointers, &cap, l->npointers,
		    sizeof(*l->pointers)) != 0)
			break;
		parse_pointer(pc, c, &l->pointers[l->npointers++]);
	}
}

static size_t
count_sigs(const xmlNode *n, size_t *deep)
{
	const xmlNode	*c;
	size_t		 direct = 0;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(c, TL_NS_DS, "Signature")) {
			direct++;
			(*deep)++;
		} else
			count_sigs(c, deep);
	}
	return direct;
}

struct tl_list *
tl_parse(const unsigned char *buf, size_t len, const char *name,
    struct val_report *rep)
{
	struct pctx	 pc;
	struct tl_list	*l = NULL, *ret = NULL;
	xmlDocPtr	 doc;
	xmlNode		*root, *si, *c;
	xmlChar		*id;
	size_t		 cap = 0;

	memset(&pc, 0, sizeof(pc));
	pc.rep = rep;
	pc.name = name != NULL ? name : "list";
	if ((doc = tl_xml_read(buf, len, pc.name, rep)) == NULL)
		return NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		pc.oom = 1;
		goto out;
	}
	l->had_bom = len >= 3 && buf[0] == 0xef && buf[1] == 0xbb &&
	    buf[2] == 0xbf;
	l->version = -1;
	l->seq = -1;
	l->issued = l->next_update = TL_NO_TIME;
	root = xmlDocGetRootElement(doc);
	if ((id = xmlGetProp(root, X("Id"))) != NULL) {
		if ((l->root_id = strdup((char *)id)) == NULL)
			pc.oom = 1;
		xmlFree(id);
	}
	l->nsignatures = count_sigs(root, &l->nsignatures_deep);

	if ((si = kid(root, TL_NS, "SchemeInformation")) == NULL) {
		add(&pc, &r_scheme, root, NULL);
		goto out;
	}
	parse_scheme(&pc, si, l);

	c = kid(kid(root, TL_NS, "TrustServiceProviderList"), TL_NS,
	    "TrustServiceProvider");
	for (; c != NULL && !pc.oom;
	    c = next_el(c, TL_NS, "TrustServiceProvider")) {
		if (l->ntsps >= TL_MAX_TSPS) {
			add(&pc, &r_limit, c, "TrustServiceProvider > %d",
			    TL_MAX_TSPS);
			break;
		}
		if (grow(&pc, (void **)&l->tsps, &cap, l->ntsps,
		    sizeof(*l->tsps)) != 0)
			break;
		parse_tsp(&pc, c, &l->tsps[l->ntsps++]);
	}
	l->nservices = pc.nservices;
	if (!pc.oom) {
		ret = l;
		l = NULL;
	}
 out:
	if (pc.oom) {
		val_report_add(rep, &r_oom, pc.name, NULL);
		ret = NULL;
	}
	tl_list_free(l);
	xmlFreeDoc(doc);
	return ret;
}

const struct tl_pointer *
tl_list_pointer_next(const struct tl_list *l, const char *terr,
    size_t *from)
{
	size_t	 i;

	if (l == NULL || terr == NULL)
		return NULL;
	for (i = *from; i < l->npointers; i++)
		if (l->pointers[i].territory != NULL &&
		    strcmp(l->pointers[i].territory, terr) == 0) {
			*from = i + 1;
			return &l->pointers[i];
		}
	*from = l->npointers;
	return NULL;
}
