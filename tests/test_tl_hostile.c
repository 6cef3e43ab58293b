/*
 * test_tl_hostile.c: hostile XML given to tl_parse(): each is refused with
 * the expected fatal finding, no list, nothing fetched, nothing expanded.
 *
 * Cases are built here in memory (billion laughs, external entities, a
 * DOCTYPE, a 100 MB body, 10,000-deep nesting, millions of nodes, an
 * element with 40,000 attributes, wrong namespace, not XML),
 * and the files fixtures/gen-25-tl-hostile.sh writes into
 * $FIXTURES/tl-hostile (named CODE__what.xml) are run the same way.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "tl.h"

#define NS	"http://uri.etsi.org/02231/v2#"
#define ROOT	"<TrustServiceStatusList xmlns=\"" NS "\">"
#define BODY	"<SchemeInformation><TSLVersionIdentifier>6" \
	"</TSLVersionIdentifier><TSLSequenceNumber>1</TSLSequenceNumber>" \
	"<SchemeOperatorName><Name xml:lang=\"en\">&lol9;</Name>" \
	"</SchemeOperatorName></SchemeInformation>"
#define END	"</TrustServiceStatusList>"

static const struct {
	const char	*label;
	const char	*doc;
	size_t		 len;		/* 0: strlen */
	const char	*code;
} rows[] = {
	{ "billion laughs",
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE TrustServiceStatusList [\n"
	    "<!ENTITY lol \"lol\">\n"
	    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
	    "\n<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n" ROOT BODY END, 0, "TL-XML-DOCTYPE" },
	{ "external entity (file)",
	    "<!DOCTYPE TrustServiceStatusList [<!ENTITY lol9 SYSTEM "
	    "\"file:///etc/passwd\">]>" ROOT BODY END, 0, "TL-XML-DOCTYPE" },
	{ "external parameter entity (network)",
	    "<!DOCTYPE TrustServiceStatusList [<!ENTITY % x SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\"> %x;]>" ROOT BODY END, 0,
	    "TL-XML-DOCTYPE" },
	{ "external DTD",
	    "<!DOCTYPE TrustServiceStatusList SYSTEM "
	    "\"http://127.0.0.1:9/tsl.dtd\">" ROOT END, 0, "TL-XML-DOCTYPE" },
	{ "bare DOCTYPE",
	    "<!DOCTYPE TrustServiceStatusList>" ROOT END, 0,
	    "TL-XML-DOCTYPE" },
	{ "DOCTYPE after BOM, comment and PI",
	    "\xef\xbb\xbf<?xml version=\"1.0\"?><!-- c --><?pi x?>\n"
	    "<!DOCTYPE x [<!ELEMENT x ANY>]>" ROOT END, 0, "TL-XML-DOCTYPE" },
	{ "undeclared entity", ROOT BODY END, 0, "TL-XML-MALFORMED" },
	{ "wrong namespace",
	    "<TrustServiceStatusList xmlns=\"urn:not-etsi\"/>", 0,
	    "TL-XML-ROOT" },
	{ "no namespace", "<TrustServiceStatusList/>", 0, "TL-XML-ROOT" },
	{ "old TS 102 231 v1 namespace",
	    "<tsl:TrustServiceStatusList xmlns:tsl=\"http://uri.etsi.org/"
	    "02231/v1#\"/>", 0, "TL-XML-ROOT" },
	{ "other root in the right namespace",
	    "<SchemeInformation xmlns=\"" NS "\"/>", 0, "TL-XML-ROOT" },
	{ "XHTML", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/>"
	    "</html>", 0, "TL-XML-ROOT" },
	{ "not XML: PDF", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 0,
	    "TL-XML-MALFORMED" },
	{ "not XML: JSON", "{\"TrustServiceStatusList\": []}", 0,
	    "TL-XML-MALFORMED" },
	{ "not XML: binary, NUL first", "\x00\x01\x02\xff\xfe\x00\x80", 7,
	    "TL-XML-ENCODING" },
	{ "not XML: binary", "\x01\x02\xff\xfe\x00\x80", 6,
	    "TL-XML-MALFORMED" },
	{ "not XML: white space", " \n\t ", 0, "TL-XML-MALFORMED" },
	{ "empty", "", 0, "TL-XML-EMPTY" },
	{ "BOM only", "\xef\xbb\xbf", 0, "TL-XML-EMPTY" },
	{ "truncated", ROOT "<SchemeInformation><TSLVersion", 0,
	    "TL-XML-MALFORMED" },
	{ "two roots", ROOT END ROOT END, 0, "TL-XML-MALFORMED" },
	{ "UTF-16LE with BOM", "\xff\xfe<\0T\0", 6, "TL-XML-ENCODING" },
	{ "UTF-16BE without BOM", "\0<\0T", 4, "TL-XML-ENCODING" },
	{ "EBCDIC", "\x4c\x6f\xa7\x94\x93", 5, "TL-XML-ENCODING" },
	{ "declared ISO-8859-1", "<?xml version=\"1.0\" encoding="
	    "\"ISO-8859-1\"?>" ROOT END, 0, "TL-XML-ENCODING" },
	{ "declared UTF-7", "<?xml version='1.0' encoding='UTF-7'?>" ROOT END,
	    0, "TL-XML-ENCODING" },
	{ "declared UTF-8 but Latin-1 bytes", "<?xml version=\"1.0\" "
	    "encoding=\"utf-8\"?>" ROOT "<SchemeInformation>"
	    "<SchemeTerritory>\xe9</SchemeTerritory></SchemeInformation>" END,
	    0, "TL-XML-MALFORMED" },
};

static void
expect(const char *label, const unsigned char *doc, size_t len,
    const char *code)
{
	struct val_report	 rep;
	struct tl_list		*l;

	val_report_init(&rep);
	l = tl_parse(doc, len, label, &rep);
	if (l != NULL || !val_report_fatal(&rep) ||
	    !val_report_has(&rep, code)) {
		val_report_print(stderr, &rep);
		tl_list_free(l);
		fail_msg("%s: want %s and no list", label, code);
	}
	val_report_clear(&rep);
}

static void
test_inline(void **state)
{
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		expect(rows[i].label, (const unsigned char *)rows[i].doc,
		    rows[i].len ? rows[i].len : strlen(rows[i].doc),
		    rows[i].code);
}

/* A 100 MB body: refused on its size before libxml2 reads it. */
static void
test_oversize(void **state)
{
	static const char head[] = "<?xml version=\"1.0\"?>" ROOT;
	size_t		 len = 100u * 1024 * 1024;
	unsigned char	*doc;

	doc = calloc(1, len);	/* untouched pages cost nothing */
	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	expect("100 MB body", doc, len, "TL-SIZE");
	/* One byte over the limit is refused too. */
	expect("limit + 1", doc, (size_t)TL_MAX_LIST_BYTES + 1, "TL-SIZE");
	free(doc);
}

/* 10,000 nested elements, in and out of the TS 119 612 namespace. */
static void
test_deep(void **state)
{
	const size_t	 depth = 10000;
	char		*doc, *w;
	size_t		 i;

	doc = malloc(depth * 8 + 256);
	assert_non_null(doc);
	w = stpcpy(doc, ROOT);
	for (i = 0; i < depth; i++)
		w = stpcpy(w, "<a>");
	for (i = 0; i < depth; i++)
		w = stpcpy(w, "</a>");
	w = stpcpy(w, END);
	expect("10,000 deep in the list", (unsigned char *)doc,
	    (size_t)(w - doc), "TL-XML-DEPTH");

	w = doc;
	for (i = 0; i < depth; i++)
		w = stpcpy(w, "<a>");
	expect("10,000 deep, unclosed", (unsigned char *)doc,
	    (size_t)(w - doc), "TL-XML-DEPTH");

	/* Just inside the limit parses (into a list with findings). */
	{
		struct val_report	 rep;
		struct tl_list		*l;

		w = stpcpy(doc, ROOT "<SchemeInformation>");
		for (i = 0; i < TL_MAX_DEPTH - 2; i++)
			w = stpcpy(w, "<a>");
		for (i = 0; i < TL_MAX_DEPTH - 2; i++)
			w = stpcpy(w, "</a>");
		w = stpcpy(w, "</SchemeInformation>" END);
		val_report_init(&rep);
		l = tl_parse((unsigned char *)doc, (size_t)(w - doc),
		    "at the limit", &rep);
		assert_non_null(l);
		assert_false(val_report_has(&rep, "TL-XML-DEPTH"));
		tl_list_free(l);
		val_report_clear(&rep);
	}
	free(doc);
}

/*
 * Many nodes within the byte limit: elements, comments, attributes spread
 * over elements; and one element with many attributes (quadratic in
 * libxml2 2.9, refused by the pre-scan).
 */
static void
test_many(void **state)
{
	static const struct {
		const char	*label;
		const char	*unit;
		size_t		 count;
		const char	*code;
	} floods[] = {
		{ "elements", "<a/>", TL_MAX_NODES + 1, "TL-XML-NODES" },
		{ "comments", "<!---->", TL_MAX_NODES + 1, "TL-XML-NODES" },
		{ "PIs", "<?p?>", TL_MAX_NODES + 1, "TL-XML-NODES" },
		{ "attributes over elements", "<a b=\"\" c=\"\" d=\"\"/>",
		    TL_MAX_NODES / 4 + 1, "TL-XML-NODES" },
		{ "4 M elements", "<a/>", 4u << 20, "TL-XML-NODES" },
	};
	char	*doc, *w;
	size_t	 i, j, ulen;

	for (i = 0; i < sizeof(floods) / sizeof(floods[0]); i++) {
		ulen = strlen(floods[i].unit);
		doc = malloc(floods[i].count * ulen + 256);
		assert_non_null(doc);
		w = stpcpy(doc, ROOT);
		for (j = 0; j < floods[i].count; j++) {
			memcpy(w, floods[i].unit, ulen);
			w += ulen;
		}
		w = stpcpy(w, END);
		expect(floods[i].label, (unsigned char *)doc, (size_t)(w - doc),
		    floods[i].code);
		free(doc);
	}

	/* 40,000 attributes on one element (44 s in libxml2 alone). */
	doc = malloc(40000 * 16 + 256);
	assert_non_null(doc);
	w = stpcpy(doc, ROOT "<a");
	for (j = 0; j < 40000; j++)
		w += sprintf(w, " a%zu=\"\"", j);
	w = stpcpy(w, "/>" END);
	expect("40,000 attributes", (unsigned char *)doc, (size_t)(w - doc),
	    "TL-XML-ATTRS");
	/* Quotes, comments and CDATA hide '=' from the count. */
	w = stpcpy(doc, ROOT "<!--");
	for (j = 0; j < 1000; j++)
		w = stpcpy(w, " a=");
	w = stpcpy(w, "--><a b=\"");
	for (j = 0; j < 1000; j++)
		w = stpcpy(w, "=");
	w = stpcpy(w, "\"/>" END);
	{
		struct val_report	 rep;

		val_report_init(&rep);
		assert_null(tl_parse((unsigned char *)doc, (size_t)(w - doc),
		    "hidden '='", &rep));
		assert_true(val_report_has(&rep, "TL-SCHEME-MISSING"));
		assert_false(val_report_has(&rep, "TL-XML-ATTRS"));
		val_report_clear(&rep);
	}
	/* TL_MAX_ATTRS attributes pass, one more does not. */
	w = stpcpy(doc, ROOT "<SchemeInformation");
	for (j = 0; j < TL_MAX_ATTRS; j++)
		w += sprintf(w, " a%zu='x'", j);
	w = stpcpy(w, "/>" END);
	{
		struct val_report	 rep;
		struct tl_list		*l;

		val_report_init(&rep);
		l = tl_parse((unsigned char *)doc, (size_t)(w - doc),
		    "at the limit", &rep);
		assert_non_null(l);
		tl_list_free(l);
		val_report_clear(&rep);
	}
	w = stpcpy(doc, ROOT "<SchemeInformation");
	for (j = 0; j <= TL_MAX_ATTRS; j++)
		w += sprintf(w, " a%zu='x'", j);
	w = stpcpy(w, "/>" END);
	expect("limit + 1 attributes", (unsigned char *)doc,
	    (size_t)(w - doc), "TL-XML-ATTRS");
	free(doc);
}

/* XInclude is never processed: the include stays an unknown element. */
static void
test_xinclude(void **state)
{
	static const char doc[] = ROOT "<SchemeInformation>"
	    "<TSLVersionIdentifier>6</TSLVersionIdentifier>"
	    "<SchemeOperatorName><Name xml:lang=\"en\"><xi:include "
	    "xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
	    "href=\"/etc/hostname\" parse=\"text\"/></Name>"
	    "</SchemeOperatorName></SchemeInformation>" END;
	struct val_report	 rep;
	struct tl_list		*l;

	val_report_init(&rep);
	l = tl_parse((const unsigned char *)doc, sizeof(doc) - 1, "xinclude",
	    &rep);
	assert_non_null(l);
	assert_null(l->operator_name);
	assert_true(val_report_has(&rep, "TL-OPERATOR-MISSING"));
	tl_list_free(l);
	val_report_clear(&rep);
}

/* The generated files: CODE__what.xml must give CODE and no list. */
static void
test_fixture_files(void **state)
{
	const char	*fx = getenv("FIXTURES");
	char		 dir[2048], path[4096], code[64], err[256];
	DIR		*d;
	struct dirent	*e;
	unsigned char	*buf;
	size_t		 len, n = 0;
	const char	*sep;

	if (fx == NULL)
		fx = "build/fixtures";
	snprintf(dir, sizeof(dir), "%s/tl-hostile", fx);
	if ((d = opendir(dir)) == NULL)
		skip();
	while ((e = readdir(d)) != NULL) {
		if ((sep = strstr(e->d_name, "__")) == NULL ||
		    (size_t)(sep - e->d_name) >= sizeof(code))
			continue;
		memcpy(code, e->d_name, sep - e->d_name);
		code[sep - e->d_name] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (val_read_file(path, (size_t)TL_MAX_LIST_BYTES * 2, &buf,
		    &len, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		expect(e->d_name, buf, len, code);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n >= 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_xinclude),
		cmocka_unit_test(test_fixture_files),
	};
	int	 rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
