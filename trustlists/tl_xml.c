/*
 * tl_xml.c: the one hardened way to turn trust-list bytes into a libxml2
 * tree, shared by tl_parse.c and tl_verify.c.
 *
 * What it does, in order:
 *  - refuses more than TL_MAX_LIST_BYTES before libxml2 sees a byte;
 *  - strips a UTF-8 byte order mark (real lists carry one) and reads
 *    UTF-8 only (a UTF-16/UCS-4/EBCDIC start or another declared encoding
 *    is refused; libxml2 is told UTF-8 and to ignore the declaration);
 *  - parses from memory with XML_PARSE_NONET and never XML_PARSE_NOENT,
 *    XML_PARSE_DTDLOAD or XML_PARSE_HUGE;
 *  - refuses a start tag with more than TL_MAX_ATTRS attributes in a linear
 *    pre-scan (libxml2 2.9's duplicate check is quadratic);
 *  - stops the parser at the first DOCTYPE, from the internalSubset SAX
 *    callback, before any internal subset (and so any entity declaration:
 *    billion laughs, external entities) is read.  libxml2 2.9 has no
 *    XML_PARSE_NO_XXE; a DOCTYPE has no business in a trusted list;
 *  - stops the parser when element nesting passes TL_MAX_DEPTH, so a
 *    10,000-deep document is refused after TL_MAX_DEPTH elements;
 *  - stops it when elements + attributes + namespace declarations +
 *    comments + PIs pass TL_MAX_NODES: 64 MiB of "<a/>" would otherwise
 *    become 16 million tree nodes (about 2 GB);
 *  - requires the root to be TrustServiceStatusList in the TS 119 612
 *    namespace, with any prefix or as the default namespace.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>

#include "tl.h"

static const struct val_rule r_size = { "TL-SIZE", VAL_FATAL,
    "ETSI TS 119 612 6.1; xbrg TL_MAX_LIST_BYTES",
    "list larger than the size limit" };
static const struct val_rule r_empty = { "TL-XML-EMPTY", VAL_FATAL,
    "W3C XML 1.0 2.1", "list is empty" };
static const struct val_rule r_malformed = { "TL-XML-MALFORMED", VAL_FATAL,
    "W3C XML 1.0 2.1", "list is not well-formed XML" };
static const struct val_rule r_doctype = { "TL-XML-DOCTYPE", VAL_FATAL,
    "ETSI TS 119 612 Annex C (XML Schema, no DTD)",
    "list has a DOCTYPE (DTDs and entities are refused)" };
static const struct val_rule r_depth = { "TL-XML-DEPTH", VAL_FATAL,
    "ETSI TS 119 612 Annex C; xbrg TL_MAX_DEPTH",
    "element nesting deeper than the limit" };
static const struct val_rule r_nodes = { "TL-XML-NODES", VAL_FATAL,
    "ETSI TS 119 612 Annex C; xbrg TL_MAX_NODES",
    "more elements, attributes and comments than the limit" };
static const struct val_rule r_attrs = { "TL-XML-ATTRS", VAL_FATAL,
    "ETSI TS 119 612 Annex C; xbrg TL_MAX_ATTRS",
    "an element has more attributes than the limit" };
static const struct val_rule r_encoding = { "TL-XML-ENCODING", VAL_FATAL,
    "ETSI TS 119 612 Annex C; W3C XML 1.0 4.3.3",
    "list is not UTF-8 (the only encoding accepted)" };
static const struct val_rule r_root = { "TL-XML-ROOT", VAL_FATAL,
    "ETSI TS 119 612 5.1, Annex C",
    "root is not TrustServiceStatusList in the TS 119 612 namespace" };
static const struct val_rule r_oom = { "TL-NOMEM", VAL_FATAL,
    "xbrg", "out of memory while parsing the list" };

/* What the SAX hooks saw; hung on the parser context's _private. */
struct tl_xml_guard {
	int	doctype;
	int	depth;
	int	too_many;
	size_t	nodes;
};

/* Counts n more nodes; stops the parser past TL_MAX_NODES.  Returns 0 or
 * -1 (stopped). */
static int
tl_xml_count(xmlParserCtxtPtr ctxt, size_t n)
{
	struct tl_xml_guard	*g = ctxt->_private;

	g->nodes += n;
	if (g->nodes > TL_MAX_NODES) {
		g->too_many = 1;
		xmlStopParser(ctxt);
		return -1;
	}
	return 0;
}

static void
tl_xml_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct tl_xml_guard	*g = ctxt->_private;

	g->doctype = 1;
	xmlStopParser(ctxt);
}

static void
tl_xml_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
    int ndefaulted, const xmlChar **attr)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct tl_xml_guard	*g = ctxt->_private;

	if (ctxt->nodeNr >= TL_MAX_DEPTH) {
		g->depth = 1;
		xmlStopParser(ctxt);
		return;
	}
	if (tl_xml_count(ctxt, 1 + (size_t)(nattr > 0 ? nattr : 0) +
	    (size_t)(nns > 0 ? nns : 0)) != 0)
		return;
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, ns, nattr,
	    ndefaulted, attr);
}

static void
tl_xml_comment(void *ctx, const xmlChar *value)
{
	if (tl_xml_count(ctx, 1) == 0)
		xmlSAX2Comment(ctx, value);
}

static void
tl_xml_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	if (tl_xml_count(ctx, 1) == 0)
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

/*
 * libxml2 2.9 checks an element's attributes for duplicates pairwise, so
 * one start tag with 40,000 attributes takes 44 s, before any SAX hook
 * runs.  This linear pre-scan counts the '=' of each start tag (outside
 * quotes, comments, CDATA and PIs) and refuses a tag with more than
 * TL_MAX_ATTRS.  Returns 0, or -1 with *line set.
 */
/* The first t (tlen bytes) in p..end, or NULL. */
static const unsigned char *
tl_xml_find(const unsigned char *p, const unsigned char *end, const char *t,
    size_t tlen)
{
	for (; (size_t)(end - p) >= tlen; p++)
		if (*p == (unsigned char)t[0] && memcmp(p, t, tlen) == 0)
			return p;
	return NULL;
}

static int
tl_xml_prescan(const unsigned char *p, size_t len, long *line)
{
	const unsigned char	*end = p + len, *e;
	const char		*term;
	size_t			 n, tlen, rest;
	long			 ln = 1;
	unsigned char		 c, q;

	while (p < end) {
		if ((c = *p++) == '\n')
			ln++;
		if (c != '<')
			continue;
		rest = (size_t)(end - p);
		term = NULL;
		tlen = 0;
		if (rest >= 3 && memcmp(p, "!--", 3) == 0)
			term = "-->";
		else if (rest >= 8 && memcmp(p, "![CDATA[", 8) == 0)
			term = "]]>";
		else if (rest >= 1 && *p == '?')
			term = "?>";
		if (term != NULL) {
			tlen = strlen(term);
			e = tl_xml_find(p, end, term, tlen);
			e = e != NULL ? e + tlen : end;
			for (; p < e; p++)
				if (*p == '\n')
					ln++;
			continue;
		}
		/* A tag or declaration: count '=' outside quotes to '>'. */
		for (n = 0, q = 0; p < end; p++) {
			if (*p == '\n')
				ln++;
			if (q != 0) {
				if (*p == q)
					q = 0;
			} else if (*p == '"' || *p == '\'')
				q = *p;
			else if (*p == '=' && ++n > TL_MAX_ATTRS) {
				*line = ln;
				return -1;
			} else if (*p == '>') {
				p++;
				break;
			}
		}
	}
	return 0;
}

/*
 * Only UTF-8 is read (every real list is UTF-8): the pre-scan above is
 * exact only for ASCII-compatible bytes, and libxml2 would otherwise pick
 * UTF-16, UCS-4 or EBCDIC from the first bytes or any iconv encoding from
 * the declaration.  Returns 0, or -1 with what was found in why.
 */
static int
tl_xml_utf8_only(const unsigned char *p, size_t len, char *why,
    size_t whylen)
{
	const unsigned char	*e, *v, *end;
	size_t			 n;

	if (len >= 2 && (p[0] == 0x00 || p[1] == 0x00 ||
	    (p[0] == 0xfe && p[1] == 0xff) || (p[0] == 0xff && p[1] == 0xfe) ||
	    (len >= 4 && memcmp(p, "\x4c\x6f\xa7\x94", 4) == 0))) {
		snprintf(why, whylen, "first bytes %02x %02x: UTF-16, UCS-4 "
		    "or EBCDIC", p[0], p[1]);
		return -1;
	}
	if (len < 5 || memcmp(p, "<?xml", 5) != 0)
		return 0;
	n = len < 512 ? len : 512;
	if ((end = tl_xml_find(p, p + n, "?>", 2)) == NULL ||
	    (e = tl_xml_find(p, end, "encoding", 8)) == NULL)
		return 0;
	for (e += 8; e < end && (*e == ' ' || *e == '=' || *e == '\t' ||
	    *e == '\r' || *e == '\n'); e++)
		;
	if (e >= end || (*e != '"' && *e != '\''))
		return 0;	/* malformed: libxml2 says so */
	for (v = e + 1; v < end && *v != *e; v++)
		;
	n = (size_t)(v - e - 1);
	if ((n == 5 && strncasecmp((const char *)e + 1, "UTF-8", 5) == 0) ||
	    (n == 4 && strncasecmp((const char *)e + 1, "UTF8", 4) == 0))
		return 0;
	snprintf(why, whylen, "declared encoding '%.*s'", (int)(n < 40 ? n :
	    40), (const char *)e + 1);
	return -1;
}

/* Silences libxml2's default printing; the error is read back below. */
static void
tl_xml_quiet(void *ctx, const char *msg, ...)
{
}

static void
tl_xml_squiet(void *ctx, xmlErrorPtr err)
{
}

struct _xmlDoc *
tl_xml_read(const unsigned char *buf, size_t len, const char *name,
    struct val_report *rep)
{
	struct tl_xml_guard	 g;
	xmlParserCtxtPtr	 ctxt = NULL;
	xmlDocPtr		 doc = NULL, ret = NULL;
	xmlNodePtr		 root;
	xmlErrorPtr		 e;
	long			 line;
	char			 why[128];
	int			 opts;

	if (name == NULL)
		name = "list";
	if (len > TL_MAX_LIST_BYTES) {
		val_report_add(rep, &r_size, name, "%zu bytes > %d", len,
		    TL_MAX_LIST_BYTES);
		goto out;
	}
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
		buf += 3;
		len -= 3;
	}
	if (len == 0) {
		val_report_add(rep, &r_empty, name, NULL);
		goto out;
	}
	if (tl_xml_utf8_only(buf, len, why, sizeof(why)) != 0) {
		val_report_add(rep, &r_encoding, name, "%s", why);
		goto out;
	}
	if (tl_xml_prescan(buf, len, &line) != 0) {
		val_report_add(rep, &r_attrs, name, "line %ld: more than %d",
		    line, TL_MAX_ATTRS);
		goto out;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		val_report_add(rep, &r_oom, name, NULL);
		goto out;
	}
	memset(&g, 0, sizeof(g));
	ctxt->_private = &g;
	ctxt->sax->internalSubset = tl_xml_doctype;
	ctxt->sax->externalSubset = tl_xml_doctype;
	ctxt->sax->startElementNs = tl_xml_start;
	ctxt->sax->comment = tl_xml_comment;
	ctxt->sax->processingInstruction = tl_xml_pi;
	ctxt->sax->warning = tl_xml_quiet;
	ctxt->sax->error = tl_xml_quiet;
	ctxt->sax->serror = tl_xml_squiet;

	/* Never NOENT, DTDLOAD, DTDATTR or HUGE. */
	opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC;
	if (len > (size_t)0x7fffffff) {
		val_report_add(rep, &r_size, name, "%zu bytes", len);
		goto out;
	}
	doc = xmlCtxtReadMemory(ctxt, (const char *)buf, (int)len, name,
	    "UTF-8", opts);
	if (g.doctype || (doc != NULL && (doc->intSubset != NULL ||
	    doc->extSubset != NULL))) {
		val_report_add(rep, &r_doctype, name, NULL);
		goto out;
	}
	if (g.depth) {
		val_report_add(rep, &r_depth, name, "more than %d levels",
		    TL_MAX_DEPTH);
		goto out;
	}
	if (g.too_many) {
		val_report_add(rep, &r_nodes, name, "more than %d",
		    TL_MAX_NODES);
		goto out;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		e = &ctxt->lastError;
		if (e->code == XML_ERR_NO_MEMORY)
			val_report_add(rep, &r_oom, name, NULL);
		else if (e->message != NULL)
			val_report_add(rep, &r_malformed, name,
			    "line %d: %.*s", e->line,
			    (int)strcspn(e->message, "\n"), e->message);
		else
			val_report_add(rep, &r_malformed, name, NULL);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || root->ns == NULL ||
	    strcmp((const char *)root->ns->href, TL_NS) != 0 ||
	    strcmp((const char *)root->name, "TrustServiceStatusList") != 0) {
		val_report_add(rep, &r_root, name, "root {%s}%s",
		    root != NULL && root->ns != NULL ?
		    (const char *)root->ns->href : "",
		    root != NULL ? (const char *)root->name : "(none)");
		goto out;
	}
	ret = doc;
	doc = NULL;
 out:
	xmlFreeDoc(doc);
	if (ctxt != NULL) {
		ctxt->_private = NULL;
		xmlFreeParserCtxt(ctxt);
	}
	return ret;
}
