/*
 * test_tl_parse.c: the trusted-list parser, table-driven.
 *
 *  - synthetic lists built here (no shared data needed): every TL-* rule
 *    of tl_parse.c, default namespace and tsl: prefix, BOM, closed lists,
 *    limits, the fields of a service;
 *  - the real lists of $XBRG_SHARED/trustlists-real (v5/v6 LOTLs and
 *    pivots, national lists 2019/2023/2026, non-EU, v6 variants, DSS's
 *    tampered files): territory, sequence, counts, next update and the
 *    exact set of finding codes (counts checked against an independent
 *    ElementTree count when the table was written);
 *  - golden dumps: tl_list_print() of a few real lists compared byte for
 *    byte with tests/golden/tl-*.out.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "tl.h"
#include "helpers/test_util.h"

/* $XBRG_SHARED when it holds trustlists-real, else NULL (tests skip). */
static const char *
shared(void)
{
	return tu_shared("trustlists-real");
}

/* The sorted, distinct finding codes of rep joined by ','. */
static void
codes(const struct val_report *rep, char *out, size_t len)
{
	const char	*v[64], *t;
	size_t		 n = 0, i, j;
	int		 dup;

	for (i = 0; i < rep->n; i++) {
		dup = 0;
		for (j = 0; j < n; j++)
			if (strcmp(v[j], rep->items[i].rule->code) == 0)
				dup = 1;
		if (!dup && n < 64)
			v[n++] = rep->items[i].rule->code;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, ",", len - strlen(out) - 1);
		strncat(out, v[i], len - strlen(out) - 1);
	}
}

static struct tl_list *
parse_str(const char *s, struct val_report *rep)
{
	return tl_parse((const unsigned char *)s, strlen(s), "synthetic", rep);
}

#define ROOT_OPEN \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\" " \
	"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" " \
	"xmlns:tslx=\"http://uri.etsi.org/02231/v2/additionaltypes#\" " \
	"xmlns:sie=\"http://uri.etsi.org/TrstSvc/SvcInfoExt/" \
	"eSigDir-1999-93-EC-TrustedList/#\" Id=\"tsl-1\">\n"
#define ROOT_CLOSE "</TrustServiceStatusList>\n"
#define SI(v, seq, next) \
	"<SchemeInformation><TSLVersionIdentifier>" v \
	"</TSLVersionIdentifier><TSLSequenceNumber>" seq \
	"</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/" \
	"TrustedList/TSLType/EUgeneric</TSLType><SchemeOperatorName>" \
	"<Name xml:lang=\"fr\">Op FR</Name><Name xml:lang=\"en\">Op EN" \
	"</Name></SchemeOperatorName><SchemeTerritory>ZZ</SchemeTerritory>" \
	"<ListIssueDateTime>2026-01-01T00:00:00Z</ListIssueDateTime>" \
	next "</SchemeInformation>\n"
#define NEXT_OK "<NextUpdate><dateTime>2026-07-01T00:00:00Z</dateTime>" \
	"</NextUpdate>"
#define SI_OK SI("6", "7", NEXT_OK)
#define TSPS(x) "<TrustServiceProviderList>" x \
	"</TrustServiceProviderList>\n"
#define TSP(name, svcs) "<TrustServiceProvider><TSPInformation><TSPName>" \
	"<Name xml:lang=\"en\">" name "</Name></TSPName></TSPInformation>" \
	"<TSPServices>" svcs "</TSPServices></TrustServiceProvider>"
#define SVC_INFO(ids, status, start, ext) "<ServiceTypeIdentifier>" \
	"http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>" \
	"<ServiceName><Name xml:lang=\"en\">Svc</Name></ServiceName>" \
	"<ServiceDigitalIdentity>" ids "</ServiceDigitalIdentity>" \
	"<ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/" \
	status "</ServiceStatus><StatusStartingTime>" start \
	"</StatusStartingTime>" ext
#define SVC(info, hist) "<TSPService><ServiceInformation>" info \
	"</ServiceInformation>" hist "</TSPService>"
#define HIST(info) "<ServiceHistory><ServiceHistoryInstance>" info \
	"</ServiceHistoryInstance></ServiceHistory>"
#define ID_CERT "<DigitalId><X509Certificate>AQID</X509Certificate>" \
	"</DigitalId>"
#define ID_SKI "<DigitalId><X509SKI>q83v</X509SKI></DigitalId>"
#define ID_SUBJ "<DigitalId><X509SubjectName>CN=Test CA, C=ZZ" \
	"</X509SubjectName></DigitalId>"
#define PTR(loc, terr) "<PointersToOtherTSL><OtherTSLPointer>" \
	"<ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId>" \
	"<X509Certificate>AQIDBA==</X509Certificate></DigitalId>" \
	"</ServiceDigitalIdentity></ServiceDigitalIdentities>" loc \
	"<AdditionalInformation><OtherInformation>" terr \
	"</OtherInformation><OtherInformation><tslx:MimeType>" \
	"application/vnd.etsi.tsl+xml</tslx:MimeType></OtherInformation>" \
	"</AdditionalInformation></OtherTSLPointer></PointersToOtherTSL>"

static const struct syn {
	const char	*label;
	const char	*doc;
	int		 ok;		/* a list comes back */
	int		 version;
	long long	 seq;
	int		 closed;
	size_t		 nservices;
	const char	*codes;
} syn[] = {
	{ "minimal, default namespace", ROOT_OPEN SI_OK ROOT_CLOSE,
	    1, 6, 7, 0, 0, "" },
	{ "tsl: prefix, v5",
	    "<tsl:TrustServiceStatusList xmlns:tsl=\"http://uri.etsi.org/"
	    "02231/v2#\"><tsl:SchemeInformation><tsl:TSLVersionIdentifier>5"
	    "</tsl:TSLVersionIdentifier><tsl:TSLSequenceNumber>12"
	    "</tsl:TSLSequenceNumber><tsl:TSLType>t</tsl:TSLType>"
	    "<tsl:SchemeOperatorName><tsl:Name xml:lang=\"hu\">X</tsl:Name>"
	    "</tsl:SchemeOperatorName><tsl:SchemeTerritory>HU"
	    "</tsl:SchemeTerritory><tsl:ListIssueDateTime>"
	    "2026-01-01T00:00:00Z</tsl:ListIssueDateTime><tsl:NextUpdate>"
	    "<tsl:dateTime>2026-07-01T00:00:00Z</tsl:dateTime>"
	    "</tsl:NextUpdate></tsl:SchemeInformation>"
	    "</tsl:TrustServiceStatusList>", 1, 5, 12, 0, 0, "" },
	{ "UTF-8 BOM", "\xef\xbb\xbf" ROOT_OPEN SI_OK ROOT_CLOSE,
	    1, 6, 7, 0, 0, "" },
	{ "closed: empty NextUpdate",
	    ROOT_OPEN SI("6", "7", "<NextUpdate/>") ROOT_CLOSE,
	    1, 6, 7, 1, 0, "TL-CLOSED" },
	{ "closed: NextUpdate with empty dateTime",
	    ROOT_OPEN SI("6", "7", "<NextUpdate><dateTime> </dateTime>"
	    "</NextUpdate>") ROOT_CLOSE, 1, 6, 7, 1, 0, "TL-CLOSED" },
	{ "NextUpdate absent", ROOT_OPEN SI("6", "7", "") ROOT_CLOSE,
	    1, 6, 7, 0, 0, "TL-NEXTUPDATE-MISSING" },
	{ "version 4, sequence 0", ROOT_OPEN SI("4", "0", NEXT_OK) ROOT_CLOSE,
	    1, 4, -1, 0, 0, "TL-SEQ-MISSING,TL-VERSION-UNSUPPORTED" },
	{ "version not a number", ROOT_OPEN SI("six", "x7", NEXT_OK)
	    ROOT_CLOSE, 1, -1, -1, 0, 0, "TL-SEQ-MISSING,TL-VERSION-MISSING" },
	{ "bad NextUpdate time", ROOT_OPEN SI("6", "7", "<NextUpdate>"
	    "<dateTime>soon</dateTime></NextUpdate>") ROOT_CLOSE,
	    1, 6, 7, 0, 0, "TL-TIME-BAD" },
	{ "no SchemeInformation", ROOT_OPEN ROOT_CLOSE,
	    0, 0, 0, 0, 0, "TL-SCHEME-MISSING" },
	{ "SchemeInformation in a foreign namespace", ROOT_OPEN
	    "<x:SchemeInformation xmlns:x=\"urn:x\"/>" ROOT_CLOSE,
	    0, 0, 0, 0, 0, "TL-SCHEME-MISSING" },
	{ "service: full", ROOT_OPEN SI_OK TSPS(TSP("T", SVC(SVC_INFO(
	    ID_CERT ID_SKI ID_SUBJ, "granted", "2020-01-01T00:00:00Z", ""),
	    HIST(SVC_INFO(ID_SKI, "undersupervision", "2010-01-01T00:00:00Z",
	    ""))))) ROOT_CLOSE, 1, 6, 7, 0, 1, "" },
	{ "service: only a type", ROOT_OPEN SI_OK TSPS(TSP("T",
	    "<TSPService><ServiceInformation><ServiceTypeIdentifier>x"
	    "</ServiceTypeIdentifier></ServiceInformation></TSPService>"))
	    ROOT_CLOSE, 1, 6, 7, 0, 1, "TL-SVC-NO-IDENTITY,TL-SVC-NO-NAME,"
	    "TL-SVC-NO-START,TL-SVC-NO-STATUS" },
	{ "service: no ServiceInformation", ROOT_OPEN SI_OK TSPS(TSP("T",
	    "<TSPService/>")) ROOT_CLOSE, 1, 6, 7, 0, 1,
	    "TL-SVC-NO-INFORMATION" },
	{ "service: bad base64 and date", ROOT_OPEN SI_OK TSPS(TSP("T",
	    SVC(SVC_INFO("<DigitalId><X509Certificate>A*B=</X509Certificate>"
	    "</DigitalId>", "granted", "2020-13-01T00:00:00Z", ""), "")))
	    ROOT_CLOSE, 1, 6, 7, 0, 1,
	    "TL-BASE64-BAD,TL-SVC-NO-IDENTITY,TL-TIME-BAD" },
	{ "service: time without zone", ROOT_OPEN SI_OK TSPS(TSP("T",
	    SVC(SVC_INFO(ID_CERT, "granted", "2020-01-01T00:00:00", ""),
	    ""))) ROOT_CLOSE, 1, 6, 7, 0, 1, "TL-TIME-BAD" },
	{ "history after current", ROOT_OPEN SI_OK TSPS(TSP("T", SVC(
	    SVC_INFO(ID_CERT, "withdrawn", "2020-01-01T00:00:00Z", ""),
	    HIST(SVC_INFO("", "granted", "2021-01-01T00:00:00Z", "")))))
	    ROOT_CLOSE, 1, 6, 7, 0, 1,
	    "TL-HISTORY-NO-IDENTITY,TL-HISTORY-ORDER" },
	{ "TSP without name or services", ROOT_OPEN SI_OK TSPS(
	    "<TrustServiceProvider/>") ROOT_CLOSE, 1, 6, 7, 0, 0,
	    "TL-TSP-NO-NAME,TL-TSP-NO-SERVICE" },
	{ "pointer without location or territory", ROOT_OPEN
	    "<SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier>"
	    "<TSLSequenceNumber>3</TSLSequenceNumber><TSLType>t</TSLType>"
	    "<SchemeOperatorName><Name xml:lang=\"en\">O</Name>"
	    "</SchemeOperatorName>" PTR("", "") "<SchemeTerritory>EU"
	    "</SchemeTerritory><ListIssueDateTime>2026-01-01T00:00:00Z"
	    "</ListIssueDateTime>" NEXT_OK "</SchemeInformation>" ROOT_CLOSE,
	    1, 6, 3, 0, 0, "TL-POINTER-NO-LOCATION,TL-POINTER-NO-TERRITORY" },
	{ "scheme fields missing", ROOT_OPEN "<SchemeInformation>"
	    "<TSLVersionIdentifier>6</TSLVersionIdentifier><TSLSequenceNumber>"
	    "3</TSLSequenceNumber></SchemeInformation>" ROOT_CLOSE,
	    1, 6, 3, 0, 0, "TL-ISSUED-MISSING,TL-NEXTUPDATE-MISSING,"
	    "TL-OPERATOR-MISSING,TL-TERRITORY-MISSING,TL-TYPE-MISSING" },
};

static void
test_synthetic(void **state)
{
	struct val_report	 rep;
	struct tl_list		*l;
	char			 got[1024];
	size_t			 i;

	for (i = 0; i < sizeof(syn) / sizeof(syn[0]); i++) {
		val_report_init(&rep);
		l = parse_str(syn[i].doc, &rep);
		codes(&rep, got, sizeof(got));
		if (strcmp(got, syn[i].codes) != 0 ||
		    (l != NULL) != syn[i].ok)
			fail_msg("%s: codes '%s' want '%s', list %p",
			    syn[i].label, got, syn[i].codes, (void *)l);
		if (l != NULL) {
			assert_int_equal(l->version, syn[i].version);
			assert_int_equal(l->seq, syn[i].seq);
			assert_int_equal(l->closed, syn[i].closed);
			assert_int_equal(l->nservices, syn[i].nservices);
			if (syn[i].closed)
				assert_true(l->next_update == TL_NO_TIME);
		} else
			assert_true(val_report_fatal(&rep));
		tl_list_free(l);
		val_report_clear(&rep);
	}
}

/* The fields of one fully described service and of a pointer. */
static void
test_fields(void **state)
{
	static const char doc[] = ROOT_OPEN
	    "<SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier>"
	    "<TSLSequenceNumber>3</TSLSequenceNumber><TSLType>t</TSLType>"
	    "<SchemeOperatorName><Name xml:lang=\"en\">O</Name>"
	    "</SchemeOperatorName>" PTR("<TSLLocation> https://x.example/"
	    "tl.xml </TSLLocation>", "<TSLType>lt</TSLType><SchemeTerritory>"
	    "EL</SchemeTerritory>") "<SchemeTerritory>EU</SchemeTerritory>"
	    "<ListIssueDateTime>2026-01-01T00:00:00Z</ListIssueDateTime>"
	    NEXT_OK "</SchemeInformation>"
	    TSPS(TSP("TSP A", SVC(SVC_INFO(ID_CERT ID_SKI ID_SUBJ
	    "<DigitalId><KeyValue/></DigitalId>", "granted",
	    "2020-01-01T00:00:00Z", "<ServiceInformationExtensions>"
	    "<Extension Critical=\"true\"><sie:Qualifications>"
	    "<sie:QualificationElement><sie:Qualifiers><sie:Qualifier "
	    "uri=\"urn:q1\"/><sie:Qualifier uri=\"urn:q2\"/></sie:Qualifiers>"
	    "<sie:CriteriaList assert=\"atLeastOne\"><sie:PolicySet/>"
	    "<sie:PolicySet/></sie:CriteriaList></sie:QualificationElement>"
	    "</sie:Qualifications></Extension><Extension Critical=\"true\">"
	    "<AdditionalServiceInformation><URI xml:lang=\"en\">urn:asi"
	    "</URI></AdditionalServiceInformation></Extension>"
	    "<Extension Critical=\"false\"><TakenOverBy/></Extension>"
	    "</ServiceInformationExtensions>"), HIST(SVC_INFO(ID_SKI,
	    "undersupervision", "2010-01-01T00:00:00Z", "")))))
	    "<ds:Signature/>" ROOT_CLOSE;
	struct val_report		 rep;
	struct tl_list			*l;
	const struct tl_service_info	*si;
	const struct tl_pointer		*p;
	size_t				 from = 0;
	char				 t[VAL_TIME_LEN];

	val_report_init(&rep);
	l = parse_str(doc, &rep);
	assert_non_null(l);
	assert_int_equal(rep.n, 0);
	assert_string_equal(l->root_id, "tsl-1");
	assert_int_equal(l->nsignatures, 1);
	assert_string_equal(l->territory, "EU");
	assert_string_equal(l->operator_name, "O");
	val_time_format(l->next_update, t);
	assert_string_equal(t, "2026-07-01T00:00:00Z");
	assert_int_equal(l->npointers, 1);
	p = tl_list_pointer_next(l, "EL", &from);
	assert_non_null(p);
	assert_string_equal(p->location, "https://x.example/tl.xml");
	assert_string_equal(p->type, "lt");
	assert_string_equal(p->mime_type, "application/vnd.etsi.tsl+xml");
	assert_int_equal(p->ncerts, 1);
	assert_int_equal(p->certs[0].len, 4);
	assert_memory_equal(p->certs[0].p, "\x01\x02\x03\x04", 4);
	assert_null(tl_list_pointer_next(l, "EL", &from));
	from = 0;
	assert_null(tl_list_pointer_next(l, "FR", &from));

	assert_int_equal(l->ntsps, 1);
	assert_string_equal(l->tsps[0].name, "TSP A");
	assert_int_equal(l->tsps[0].nservices, 1);
	si = &l->tsps[0].services[0].cur;
	assert_string_equal(si->type,
	    "http://uri.etsi.org/TrstSvc/Svctype/CA/QC");
	assert_string_equal(si->name, "Svc");
	assert_int_equal(si->nids, 4);
	assert_int_equal(si->ids[0].kind, TL_ID_CERT);
	assert_int_equal(si->ids[0].data.len, 3);
	assert_memory_equal(si->ids[0].data.p, "\x01\x02\x03", 3);
	assert_int_equal(si->ids[1].kind, TL_ID_SKI);
	assert_memory_equal(si->ids[1].data.p, "\xab\xcd\xef", 3);
	assert_int_equal(si->ids[2].kind, TL_ID_SUBJECT);
	assert_string_equal(si->ids[2].text, "CN=Test CA, C=ZZ");
	assert_int_equal(si->ids[3].kind, TL_ID_OTHER);
	assert_int_equal(si->nquals, 1);
	assert_int_equal(si->quals[0].nqualifiers, 2);
	assert_string_equal(si->quals[0].qualifiers[1], "urn:q2");
	assert_string_equal(si->quals[0].assert, "atLeastOne");
	assert_int_equal(si->quals[0].ncriteria, 2);
	assert_int_equal(si->nasi, 1);
	assert_string_equal(si->asi[0], "urn:asi");
	assert_int_equal(si->nextensions, 3);
	val_time_format(si->status_start, t);
	assert_string_equal(t, "2020-01-01T00:00:00Z");
	assert_int_equal(l->tsps[0].services[0].nhistory, 1);
	assert_string_equal(l->tsps[0].services[0].history[0].status,
	    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
	    "undersupervision");
	tl_list_free(l);
	val_report_clear(&rep);

	/* NULL-safe free and print. */
	tl_list_free(NULL);
}

/* Limits: more DigitalIds than TL_MAX_IDENTITIES, a text too long. */
static void
test_limits(void **state)
{
	static const char head[] = ROOT_OPEN SI_OK
	    "<TrustServiceProviderList><TrustServiceProvider><TSPInformation>"
	    "<TSPName><Name xml:lang=\"en\">T</Name></TSPName>"
	    "</TSPInformation><TSPServices><TSPService><ServiceInformation>"
	    "<ServiceTypeIdentifier>x</ServiceTypeIdentifier><ServiceName>"
	    "<Name xml:lang=\"en\">S</Name></ServiceName>"
	    "<ServiceDigitalIdentity>";
	static const char tail[] = "</ServiceDigitalIdentity><ServiceStatus>"
	    "s</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z"
	    "</StatusStartingTime></ServiceInformation></TSPService>"
	    "</TSPServices></TrustServiceProvider></TrustServiceProviderList>"
	    ROOT_CLOSE;
	struct val_report	 rep;
	struct tl_list		*l;
	char			*doc, *w;
	size_t			 i, len;

	len = sizeof(head) + sizeof(tail) + (TL_MAX_IDENTITIES + 5) * 64 +
	    TL_MAX_TEXT + 200;
	doc = calloc(1, len);
	assert_non_null(doc);
	w = stpcpy(doc, head);
	for (i = 0; i < TL_MAX_IDENTITIES + 5; i++)
		w = stpcpy(w, ID_SKI);
	w = stpcpy(w, tail);
	val_report_init(&rep);
	l = parse_str(doc, &rep);
	assert_non_null(l);
	assert_true(val_report_has(&rep, "TL-LIMIT"));
	assert_int_equal(l->tsps[0].services[0].cur.nids, TL_MAX_IDENTITIES);
	tl_list_free(l);
	val_report_clear(&rep);

	/* One SKI of TL_MAX_TEXT + 1 characters. */
	w = stpcpy(doc, head);
	w = stpcpy(w, "<DigitalId><X509SKI>");
	memset(w, 'A', TL_MAX_TEXT + 1);
	w += TL_MAX_TEXT + 1;
	w = stpcpy(w, "</X509SKI></DigitalId>");
	w = stpcpy(w, tail);
	val_report_init(&rep);
	l = parse_str(doc, &rep);
	assert_non_null(l);
	assert_true(val_report_has(&rep, "TL-TEXT-LONG"));
	assert_int_equal(l->tsps[0].services[0].cur.nids, 0);
	tl_list_free(l);
	val_report_clear(&rep);
	free(doc);
}

/* Real lists from $XBRG_SHARED/trustlists-real. */
static const struct real {
	const char	*file;
	int		 version;
	long long	 seq;
	const char	*terr;		/* "" when absent */
	size_t		 ntsps, nservices, npointers;
	const char	*next;		/* RFC 3339, "closed" or "" (absent) */
	const char	*codes;
} reals[] = {
	{ "lotl/eu-lotl_v5_seq248_2019-09-04.xml", 5, 248, "EU", 0, 0, 44,
	    "2020-03-04T00:00:00Z", "" },
	{ "lotl/eu-lotl_v5_seq332_2023-09-27.xml", 5, 332, "EU", 0, 0, 43,
	    "2024-03-26T10:00:29Z", "" },
	{ "lotl/eu-lotl_v5_seq385_2026-04-15.xml", 5, 385, "EU", 0, 0, 43,
	    "2026-10-07T13:33:37Z", "" },
	{ "lotl/eu-lotl_v6_seq386_2026-04-28.xml", 6, 386, "EU", 0, 0, 43,
	    "2026-10-21T13:10:30Z", "" },
	{ "lotl/eu-lotl_v6_seq390_2026-08-03.xml", 6, 390, "EU", 0, 0, 43,
	    "2027-01-27T13:16:38Z", "" },
	{ "lotl/pivots/eu-lotl-pivot-172.xml", 5, 172, "EU", 0, 0, 47,
	    NULL, "" },
	{ "lotl/pivots/eu-lotl-pivot-378.xml", 5, 378, "EU", 0, 0, 43,
	    NULL, "" },
	{ "tl-2019/AT_v5_seq42.xml", 5, 42, "AT", 7, 33, 1,
	    "2020-02-26T00:00:00Z", "" },
	{ "tl-2019/BE_v5_seq43.xml", 5, 43, "BE", 9, 26, 1,
	    "2019-12-13T00:00:00Z", "" },
	{ "tl-2019/DE_v4_seq22_2015.xml", 4, 22, "DE", 14, 413, 2,
	    "2016-02-10T23:00:00Z", "TL-VERSION-UNSUPPORTED" },
	{ "tl-2019/DK_v5_seq22.xml", 5, 22, "DK", 1, 1, 1,
	    "2020-02-05T00:00:00Z", "" },
	{ "tl-2019/SK_v5_seq59.xml", 5, 59, "SK", 6, 116, 1,
	    "2020-02-19T00:00:00Z", "TL-HISTORY-NO-IDENTITY" },
	{ "tl-2019/UK_v5.xml", 5, 20, "UK", 16, 19, 1,
	    "2020-02-29T00:00:00Z", "TL-HISTORY-NO-IDENTITY" },
	{ "tl-2023/EL_v5_seq69_ecdsa.xml", 5, 69, "EL", 5, 120, 1,
	    "2024-01-24T13:30:21Z", "TL-HISTORY-NO-IDENTITY" },
	{ "tl-2023/FR_v5_seq112.xml", 5, 112, "FR", 33, 190, 1,
	    "2023-08-23T00:00:07Z", "TL-HISTORY-NO-IDENTITY" },
	{ "tl-2023/PL_v5_seq139.xml", 5, 139, "PL", 12, 114, 1,
	    "2023-12-19T09:03:51Z", "" },
	{ "tl-2023/UK_v5_seq25_closed.xml", 5, 25, "UK", 16, 19, 1,
	    "closed", "TL-CLOSED,TL-HISTORY-NO-IDENTITY" },
	{ "tl-2026/AT_v5_seq72.xml", 5, 72, "AT", 8, 91, 1,
	    "2026-09-11T14:17:42Z", "" },
	{ "tl-2026/BE_v6_seq81.xml", 6, 81, "BE", 17, 135, 1,
	    "2026-12-15T16:00:00Z", "" },
	{ "tl-2026/CZ_v6_seq181.xml", 6, 181, "CZ", 10, 547, 1,
	    "2027-02-07T21:30:00Z", "" },
	{ "tl-2026/DK_v6_seq45.xml", 6, 45, "DK", 4, 16, 1,
	    "2026-11-26T12:06:46Z", "" },
	{ "tl-2026/EL_v6_seq85_ecdsa.xml", 6, 85, "EL", 5, 133, 1,
	    "2026-10-14T11:30:07Z", "TL-HISTORY-NO-IDENTITY" },
	{ "tl-2026/ES_v5_seq184.xml", 5, 184, "ES", 70, 415, 1,
	    "2026-09-24T01:00:31Z", "" },
	{ "tl-2026/HU_v6_seq99_ecdsa.xml", 6, 99, "HU", 12, 339, 1,
	    "2027-01-15T09:00:00Z", "" },
	{ "tl-2026/IT_v6_seq223.xml", 6, 223, "IT", 56, 560, 1,
	    "2027-01-27T10:33:49Z", "" },
	{ "tl-2026/SE_v6_seq62.xml", 6, 62, "SE", 5, 18, 1,
	    "2027-02-19T14:56:19Z", "" },
	{ "tl-2026/UK_v6_seq25_closed.xml", 6, 25, "UK", 16, 19, 1,
	    "closed", "TL-CLOSED,TL-HISTORY-NO-IDENTITY" },
	{ "non-eu/DE-gematik_TSL_v3_seq10180_ecdsa-brainpool.xml", 3, 10180,
	    "", 10, 148, 2, "2021-11-26T23:00:03Z", "TL-POINTER-NO-TERRITORY,"
	    "TL-TERRITORY-MISSING,TL-VERSION-UNSUPPORTED" },
	{ "non-eu/PE_TSL_v3_seq25.xml", 3, 25, "PE", 24, 53, 0,
	    "2019-05-29T16:00:16Z", "TL-VERSION-UNSUPPORTED" },
	{ "non-eu/mra-lotl_testkey.xml", 5, 6, "EU", 0, 0, 44,
	    "2032-06-27T09:30:08Z", "" },
	{ "non-eu/mra-zz-tl_testkey.xml", 5, 4, "ZZ", 1, 1, 1,
	    "2032-06-08T11:37:21Z", "" },
	{ "v6-test-fixtures/FI_v5_seq49_real.xml", 5, 49, "FI", 1, 19, 1,
	    "2025-05-14T07:11:01Z", "" },
	{ "v6-test-fixtures/FI_v6_seq49_testkey.xml", 6, 49, "FI", 1, 19, 1,
	    "2025-05-14T07:11:01Z", "" },
	{ "v6-test-fixtures/FI_v6_seq49_no-service-information_testkey.xml",
	    6, 49, "FI", 1, 19, 1, "2025-05-14T07:11:01Z",
	    "TL-SVC-NO-INFORMATION" },
	{ "v6-test-fixtures/FI_v6_seq49_no-tsp-information_testkey.xml",
	    6, 49, "FI", 1, 19, 1, "2025-05-14T07:11:01Z", "TL-TSP-NO-NAME" },
	{ "tampered/eu-lotl-pivot-247_with-bom_VALID.xml", 5, 247, "EU", 0, 0,
	    44, "2020-02-13T00:00:00Z", "" },
	{ "tampered/eu-lotl_seq248_xml-decl-removed_VALID.xml", 5, 248, "EU",
	    0, 0, 44, "2020-03-04T00:00:00Z", "" },
	{ "tampered/eu-lotl_seq248_no-tl-version.xml", -1, 248, "EU", 0, 0,
	    44, "2020-03-04T00:00:00Z", "TL-VERSION-MISSING" },
	{ "tampered/CZ_seq77_not-compliant_pretty-printed.xml", -1, 77, "CZ",
	    6, 133, 1, "2020-02-23T00:00:00Z", "TL-VERSION-MISSING" },
	{ "tampered/SK_seq95_altered-tsp.xml", 5, 95, "SK", 9, 156, 1,
	    "2023-02-14T12:00:00Z", "TL-TSP-NO-NAME" },
	{ "tampered/SK_seq95_altered-trust-service.xml", 5, 95, "SK", 9, 156,
	    1, "2023-02-14T12:00:00Z", "TL-SVC-NO-NAME,TL-SVC-NO-START,"
	    "TL-SVC-NO-STATUS,TL-SVC-NO-TYPE" },
	/* Unusable: no list, a fatal finding. */
	{ "tampered/CZ_empty.xml", 0, 0, NULL, 0, 0, 0, NULL,
	    "TL-XML-EMPTY" },
	{ "tampered/CZ_seq77_not-conform.xml", 0, 0, NULL, 0, 0, 0, NULL,
	    "TL-XML-MALFORMED" },
	{ "tampered/CZ_seq77_not-parsable.xml", 0, 0, NULL, 0, 0, 0, NULL,
	    "TL-XML-MALFORMED" },
	{ "tampered/eu-lotl_seq248_not-parsable.xml", 0, 0, NULL, 0, 0, 0,
	    NULL, "TL-XML-MALFORMED" },
};

static int
read_shared(const char *rel, unsigned char **buf, size_t *len)
{
	char	 path[4096], err[256];

	snprintf(path, sizeof(path), "%s/trustlists-real/%s", shared(), rel);
	if (val_read_file(path, TL_MAX_LIST_BYTES, buf, len, err,
	    sizeof(err)) != 0) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static void
test_real(void **state)
{
	const struct real	*r;
	struct val_report	 rep;
	struct tl_list		*l;
	unsigned char		*buf;
	size_t			 len, i;
	char			 got[1024], t[VAL_TIME_LEN];

	if (shared() == NULL)
		skip();
	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		r = &reals[i];
		assert_int_equal(read_shared(r->file, &buf, &len), 0);
		val_report_init(&rep);
		l = tl_parse(buf, len, r->file, &rep);
		codes(&rep, got, sizeof(got));
		if (strcmp(got, r->codes) != 0)
			fail_msg("%s: codes '%s' want '%s'", r->file, got,
			    r->codes);
		if (r->terr == NULL) {
			if (l != NULL || !val_report_fatal(&rep))
				fail_msg("%s: should be unusable", r->file);
			goto next;
		}
		if (l == NULL)
			fail_msg("%s: not parsed", r->file);
		if (l->version != r->version || l->seq != r->seq ||
		    strcmp(l->territory ? l->territory : "", r->terr) != 0 ||
		    l->ntsps != r->ntsps || l->nservices != r->nservices ||
		    l->npointers != r->npointers)
			fail_msg("%s: v%d seq %lld terr %s tsps %zu svcs %zu "
			    "ptrs %zu", r->file, l->version, l->seq,
			    l->territory, l->ntsps, l->nservices,
			    l->npointers);
		if (r->next != NULL) {
			if (l->closed)
				strcpy(t, "closed");
			else if (l->next_update == TL_NO_TIME)
				strcpy(t, "");
			else
				val_time_format(l->next_update, t);
			if (strcmp(t, r->next) != 0)
				fail_msg("%s: next update %s want %s",
				    r->file, t, r->next);
		}
 next:
		tl_list_free(l);
		val_report_clear(&rep);
		free(buf);
	}
}

/*
 * Every .xml file of trustlists-real (87, tampered ones included):
 * a list comes back, or no list and a fatal finding.  Nothing else.
 */
static size_t
sweep(const char *dir)
{
	char			 path[4096], err[256];
	struct dirent		*e;
	struct val_report	 rep;
	struct tl_list		*l;
	unsigned char		*buf;
	size_t			 len, n = 0, nl;
	DIR			*d;

	if ((d = opendir(dir)) == NULL)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		nl = strlen(e->d_name);
		if (e->d_type == DT_DIR) {
			n += sweep(path);
			continue;
		}
		if (nl < 4 || strcmp(e->d_name + nl - 4, ".xml") != 0 ||
		    strstr(dir, "schemas") != NULL)
			continue;
		if (val_read_file(path, TL_MAX_LIST_BYTES, &buf, &len, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
		val_report_init(&rep);
		l = tl_parse(buf, len, path, &rep);
		if ((l == NULL) != (val_report_fatal(&rep) != 0))
			fail_msg("%s: list %p, fatal %d", path, (void *)l,
			    val_report_fatal(&rep));
		tl_list_free(l);
		val_report_clear(&rep);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_sweep(void **state)
{
	char	 dir[4096];

	if (shared() == NULL)
		skip();
	snprintf(dir, sizeof(dir), "%s/trustlists-real", shared());
	assert_true(sweep(dir) >= 87);
}

/* The BOM and the root Id, as the verifier reads them. */
static void
test_structural(void **state)
{
	static const struct {
		const char	*file;
		int		 bom;
		const char	*root_id;
		size_t		 nsig;
	} rows[] = {
		{ "tampered/eu-lotl-pivot-247_with-bom_VALID.xml", 1,
		    "ID0001", 1 },
		{ "lotl/pivots/eu-lotl-pivot-247.xml", 0, "ID0001", 1 },
		{ "tl-2019/BE_v5_seq43.xml", 0, "TSL-BE-2019-T2v2", 1 },
		{ "tampered/CZ_seq77_two-sigs.xml", 0, "TSL_CZ", 2 },
		{ "tampered/eu-lotl_seq248_no-sig.xml", 0, NULL, 0 },
	};
	struct val_report	 rep;
	struct tl_list		*l;
	unsigned char		*buf;
	size_t			 len, i;

	if (shared() == NULL)
		skip();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(read_shared(rows[i].file, &buf, &len), 0);
		val_report_init(&rep);
		l = tl_parse(buf, len, rows[i].file, &rep);
		assert_non_null(l);
		if (l->had_bom != rows[i].bom || l->nsignatures !=
		    rows[i].nsig || (rows[i].root_id != NULL &&
		    (l->root_id == NULL ||
		    strcmp(l->root_id, rows[i].root_id) != 0)))
			fail_msg("%s: bom %d id %s sigs %zu", rows[i].file,
			    l->had_bom, l->root_id ? l->root_id : "-",
			    l->nsignatures);
		tl_list_free(l);
		val_report_clear(&rep);
		free(buf);
	}
}

/*
 * Golden dumps.  To regenerate after a deliberate format change:
 * TL_GOLDEN_WRITE=1 and run from the repo root, then review the diff.
 */
static void
test_golden(void **state)
{
	static const struct {
		const char	*file;
		const char	*golden;
	} rows[] = {
		{ "tl-2026/DK_v6_seq45.xml", "tests/golden/tl-DK_v6_seq45.out" },
		{ "tl-2026/SE_v6_seq62.xml", "tests/golden/tl-SE_v6_seq62.out" },
		{ "tl-2026/UK_v6_seq25_closed.xml",
		    "tests/golden/tl-UK_v6_seq25_closed.out" },
		{ "tl-2019/DK_v5_seq22.xml", "tests/golden/tl-DK_v5_seq22.out" },
		{ "non-eu/PE_lotl_testkey.xml",
		    "tests/golden/tl-PE_lotl_testkey.out" },
	};
	struct val_report	 rep;
	struct tl_list		*l;
	unsigned char		*buf, *want;
	char			*got, err[256];
	size_t			 len, gotlen, wantlen, i, k, line;
	FILE			*f;

	if (shared() == NULL)
		skip();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(read_shared(rows[i].file, &buf, &len), 0);
		val_report_init(&rep);
		l = tl_parse(buf, len, rows[i].file, &rep);
		assert_non_null(l);
		f = open_memstream(&got, &gotlen);
		assert_non_null(f);
		tl_list_print(f, l);
		fclose(f);
		if (getenv("TL_GOLDEN_WRITE") != NULL) {
			f = fopen(rows[i].golden, "w");
			assert_non_null(f);
			fwrite(got, 1, gotlen, f);
			fclose(f);
		}
		if (val_read_file(rows[i].golden, 16 << 20, &want, &wantlen,
		    err, sizeof(err)) != 0)
			fail_msg("%s", err);
		for (k = 0, line = 1; k < gotlen && k < wantlen &&
		    got[k] == (char)want[k]; k++)
			if (got[k] == '\n')
				line++;
		if (k != gotlen || k != wantlen)
			fail_msg("%s differs from %s at line %zu",
			    rows[i].file, rows[i].golden, line);
		free(want);
		free(got);
		tl_list_free(l);
		val_report_clear(&rep);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_structural),
		cmocka_unit_test(test_golden),
	};
	int	 rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
