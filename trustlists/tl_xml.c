/*
 * tl_xml.c: the one hardened way to turn trust-list bytes into a libxml2
 * tree, shared by tl_parse.c and tl_verify.c.
 *
 * What it does, in order:
 *  - refuses more than TL_MAX_LIST_BYTES before libxml2 sees a byte;
 *  - strips a UTF-8 byte order mark (real lists carry one);
 *  - parses from memory with XML_PARSE_NONET and never XML_PARSE_NOENT,
 *    XML_PARSE_DTDLOAD or XML_PARSE_HUGE;
 *  - stops the parser at the first DOCTYPE, from the internalSubset SAX
 *    callback, before any internal subset (and so any entity declaration:
 *    billion laughs, external entities) is read.  libxml2 2.9 has no
 *    XML_PARSE_NO_XXE; a DOCTYPE has no business in a trusted list;
 *  - stops the parser when element nesting passes TL_MAX_DEPTH, so a
 *    10,000-deep document is refused after TL_MAX_DEPTH elements;
 *  - requires the root to be TrustServiceStatusList in the TS 119 612
 *    namespace, with any prefix or as the default namespace.
 */
#include <stdio.h>
#include <string.h>

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
static const struct val_rule r_root = { "TL-XML-ROOT", VAL_FATAL,
    "ETSI TS 119 612 5.1, Annex C",
    "root is not TrustServiceStatusList in the TS 119 612 namespace" };
static const struct val_rule r_oom = { "TL-NOMEM", VAL_FATAL,
    "xbrg", "out of memory while parsing the list" };

/* What the SAX hooks saw; hung on the parser context's _private. */
struct tl_xml_guard {
	int	doctype;
	int	depth;
};

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
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, ns, nattr,
	    ndefaulted, attr);
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
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		val_report_add(rep, &r_oom, name, NULL);
		goto out;
	}
	memset(&g, 0, sizeof(g));
	ctxt->_private = &g;
	ctxt->sax->internalSubset = tl_xml_doctype;
	ctxt->sax->externalSubset = tl_xml_doctype;
	ctxt->sax->startElementNs = tl_xml_start;
	ctxt->sax->warning = tl_xml_quiet;
	ctxt->sax->error = tl_xml_quiet;
	ctxt->sax->serror = tl_xml_squiet;

	/* Never NOENT, DTDLOAD, DTDATTR or HUGE. */
	opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
	if (len > (size_t)0x7fffffff) {
		val_report_add(rep, &r_size, name, "%zu bytes", len);
		goto out;
	}
	doc = xmlCtxtReadMemory(ctxt, (const char *)buf, (int)len, name,
	    NULL, opts);
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
