/*
 * test_tl_status.c: which service a certificate belongs to and its status
 * at a pinned time, table-driven.
 *
 * Real certificates are cut from the real lists' bytes here (first
 * X509Certificate after a service name, decoded with OpenSSL), not through
 * the parser under test.  Weak matches use certificates made here that
 * copy a real CA's subject (and SKI) onto a fresh key.
 */
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
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "tl.h"
#include "helpers/test_util.h"

/* $XBRG_SHARED when it holds trustlists-real, else NULL (tests skip). */
static const char *
shared(void)
{
	return tu_shared("trustlists-real");
}

static unsigned char *
slurp(const char *rel, size_t *len)
{
	return (unsigned char *)tu_slurp(shared(), rel, TL_MAX_LIST_BYTES,
	    len);
}

static X509 *
make_cert(const X509_NAME *subj, const ASN1_OCTET_STRING *ski)
{
	return tu_cert(subj, ski, NULL, 42);
}

static struct tl_list *
parse_file(const char *rel)
{
	struct val_report	 rep;
	struct tl_list		*l;
	unsigned char		*buf;
	size_t			 len;

	buf = slurp(rel, &len);
	val_report_init(&rep);
	l = tl_parse(buf, len, rel, &rep);
	assert_non_null(l);
	val_report_clear(&rep);
	free(buf);
	return l;
}

#define SE	"trustlists-real/tl-2026/SE_v6_seq62.xml"
#define DK19	"trustlists-real/tl-2019/DK_v5_seq22.xml"
#define DK26	"trustlists-real/tl-2026/DK_v6_seq45.xml"
#define UK	"trustlists-real/tl-2026/UK_v6_seq25_closed.xml"
#define SIGNGUARD "SignGuard Europe AB - qualified certificate service"
#define TRUST2408 "Root Certification Authority of TRUST2408 OCES Primary CA"
#define DKROOT	"Den Danske Stat kvalificeret rod-CA"
#define EE	"trustlists-real/tl-2026/EE_v6_seq73.xml"
#define ESTEID	"ESTEID qualified certificates for electronic signatures " \
	"(ESTEID-SK 2015)"

enum certkind { REAL, SAME_SUBJECT_AND_SKI, SAME_SUBJECT, SAME_KEY,
    OJ_SIGNER };

static const struct row {
	const char	*label;
	const char	*src;		/* list the certificate is cut from */
	const char	*marker;
	enum certkind	 kind;
	const char	*lists[4];	/* lists searched */
	const char	*at;
	size_t		 nmatch;
	/* the first match */
	const char	*terr;
	const char	*type;
	const char	*status;	/* short name, NULL: none at that time */
	const char	*since;
	enum tl_match	 match;
	int		 granted;
	int		 same_key;
} rows[] = {
	{ "SignGuard before listing", SE, SIGNGUARD, REAL, { SE },
	    "2007-01-01T00:00:00Z", 1, "SE", "CA/QC", NULL, NULL,
	    TL_MATCH_CERT, 0, 1 },
	{ "SignGuard pre-2016 undersupervision", SE, SIGNGUARD, REAL, { SE },
	    "2010-01-01T00:00:00Z", 1, "SE", "CA/QC", "undersupervision",
	    "2008-06-11T12:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "SignGuard eIDAS granted", SE, SIGNGUARD, REAL, { SE },
	    "2016-12-01T00:00:00Z", 1, "SE", "CA/QC", "granted",
	    "2016-06-30T22:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "SignGuard one second before withdrawal", SE, SIGNGUARD, REAL,
	    { SE }, "2017-01-08T22:59:59Z", 1, "SE", "CA/QC", "granted",
	    "2016-06-30T22:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "SignGuard at withdrawal", SE, SIGNGUARD, REAL, { SE },
	    "2017-01-08T23:00:00Z", 1, "SE", "CA/QC", "withdrawn",
	    "2017-01-08T23:00:00Z", TL_MATCH_CERT, 0, 1 },
	{ "SignGuard among other lists", SE, SIGNGUARD, REAL,
	    { DK26, UK, SE, DK19 }, "2026-09-01T00:00:00Z", 1, "SE", "CA/QC",
	    "withdrawn", "2017-01-08T23:00:00Z", TL_MATCH_CERT, 0, 1 },
	{ "TRUST2408 pre-2016 accredited", DK19, TRUST2408, REAL, { DK19 },
	    "2012-01-01T00:00:00Z", 1, "DK", "CA/PKC", "accredited",
	    "2010-03-02T23:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "TRUST2408 recognised at national level", DK19, TRUST2408, REAL,
	    { DK19 }, "2019-01-01T00:00:00Z", 1, "DK", "CA/PKC",
	    "recognisedatnationallevel", "2016-06-30T22:00:00Z",
	    TL_MATCH_CERT, 1, 1 },
	{ "TRUST2408 deprecated in the 2026 list", DK19, TRUST2408, REAL,
	    { DK26 }, "2019-01-01T00:00:00Z", 1, "DK", "CA/PKC",
	    "deprecatedatnationallevel", "2016-06-30T22:00:00Z",
	    TL_MATCH_CERT, 0, 1 },
	{ "TRUST2408 in two lists", DK19, TRUST2408, REAL, { DK26, DK19 },
	    "2019-01-01T00:00:00Z", 2, "DK", "CA/PKC",
	    "deprecatedatnationallevel", "2016-06-30T22:00:00Z",
	    TL_MATCH_CERT, 0, 1 },
	{ "DK state root granted", DK26, DKROOT, REAL, { SE, DK26 },
	    "2026-09-01T00:00:00Z", 1, "DK", "CA/QC", "granted",
	    "2022-01-11T09:00:19Z", TL_MATCH_CERT, 1, 1 },
	{ "DK state root before it was listed", DK26, DKROOT, REAL, { DK26 },
	    "2022-01-11T09:00:18Z", 1, "DK", "CA/QC", NULL, NULL,
	    TL_MATCH_CERT, 0, 1 },
	{ "ESTEID-SK 2015: granted restated in 2018, granted since 2016",
	    EE, ESTEID, REAL, { EE }, "2026-09-01T00:00:00Z", 1, "EE", "CA/QC",
	    "granted", "2016-06-30T22:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "ESTEID-SK 2015 between the two granted instances", EE, ESTEID,
	    REAL, { EE }, "2017-01-01T00:00:00Z", 1, "EE", "CA/QC", "granted",
	    "2016-06-30T22:00:00Z", TL_MATCH_CERT, 1, 1 },
	{ "ESTEID-SK 2015 pre-eIDAS", EE, ESTEID, REAL, { EE },
	    "2016-01-01T00:00:00Z", 1, "EE", "CA/QC", "undersupervision",
	    "2015-12-17T12:38:00Z", TL_MATCH_CERT, 1, 1 },
	{ "same subject and SKI, other key", SE, SIGNGUARD,
	    SAME_SUBJECT_AND_SKI, { SE }, "2016-12-01T00:00:00Z", 1, "SE",
	    "CA/QC", "granted", "2016-06-30T22:00:00Z", TL_MATCH_SKI, 1, 0 },
	{ "re-issued certificate for the same key", SE, SIGNGUARD, SAME_KEY,
	    { SE }, "2016-12-01T00:00:00Z", 1, "SE", "CA/QC", "granted",
	    "2016-06-30T22:00:00Z", TL_MATCH_SKI, 1, 1 },
	{ "same subject only", DK26, DKROOT, SAME_SUBJECT, { DK26 },
	    "2026-09-01T00:00:00Z", 1, "DK", "CA/QC", "granted",
	    "2022-01-11T09:00:19Z", TL_MATCH_SUBJECT, 1, 0 },
	{ "a LOTL signer is no service", NULL, NULL, OJ_SIGNER,
	    { SE, DK26, UK, DK19 }, "2026-09-01T00:00:00Z", 0, NULL, NULL,
	    NULL, NULL, TL_MATCH_CERT, 0, 0 },
};

static void
test_real(void **state)
{
	const struct row	*r;
	struct tl_list		*lists[4];
	struct tl_status_result	 res;
	struct val_certs	 oj = { NULL, 0 };
	const struct tl_status_match *m;
	X509			*real, *x;
	ASN1_OCTET_STRING	*ski;
	char			 path[4096], err[256], since[VAL_TIME_LEN];
	size_t			 i, j, n;
	time_t			 at;

	if (shared() == NULL)
		skip();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = &rows[i];
		real = NULL;
		if (r->kind == OJ_SIGNER) {
			snprintf(path, sizeof(path), "%s/trustlists-real/"
			    "certs/oj-2019-C276/ec.europa.eu.6.pem",
			    shared());
			if (val_certs_load_file(path, &oj, err,
			    sizeof(err)) != 0)
				fail_msg("%s", err);
			x = X509_dup(oj.v[0].x509);
			val_certs_free(&oj);
		} else {
			real = tu_list_cert(shared(), r->src, r->marker);
			if (r->kind == REAL)
				x = X509_dup(real);
			else {
				X509_check_purpose(real, -1, 0);
				ski = r->kind != SAME_SUBJECT ?
				    (ASN1_OCTET_STRING *)
				    X509_get0_subject_key_id(real) : NULL;
				if (r->kind != SAME_SUBJECT)
					assert_non_null(ski);
				x = tu_cert(X509_get_subject_name(real), ski,
				    r->kind == SAME_KEY ? X509_get0_pubkey(real) :
				    NULL, 42);
			}
		}
		assert_non_null(x);
		for (n = 0; n < 4 && r->lists[n] != NULL; n++)
			lists[n] = parse_file(r->lists[n]);
		assert_int_equal(val_time_parse(r->at, &at), 0);
		assert_int_equal(tl_status(x, (const struct tl_list *const *)
		    lists, n, at, &res), 0);
		if (res.n != r->nmatch)
			fail_msg("%s: %zu matches, want %zu", r->label, res.n,
			    r->nmatch);
		if (res.n > 0) {
			m = &res.v[0];
			since[0] = '\0';
			if (m->since != TL_NO_TIME)
				val_time_format(m->since, since);
			if (strcmp(m->list->territory, r->terr) != 0 ||
			    strcmp(tl_service_type_short(
			    m->service->cur.type), r->type) != 0 ||
			    m->match != r->match ||
			    m->granted != r->granted ||
			    m->same_key != r->same_key ||
			    (r->status == NULL) != (m->status == NULL) ||
			    (r->status != NULL && strcmp(r->status,
			    tl_status_short(m->status)) != 0) ||
			    strcmp(since, r->since ? r->since : "") != 0)
				fail_msg("%s: %s %s %s since '%s' match %s "
				    "granted %d key %d", r->label,
				    m->list->territory,
				    m->service->cur.type, m->status ?
				    m->status : "-", since,
				    tl_match_name(m->match), m->granted,
				    m->same_key);
		}
		tl_status_result_free(&res);
		for (j = 0; j < n; j++)
			tl_list_free(lists[j]);
		X509_free(x);
		X509_free(real);
	}
}

/* Subject matching against X509SubjectName text, and match ordering. */
static void
test_subject_text(void **state)
{
	static const char doc[] =
	    "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">"
	    "<SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier>"
	    "<SchemeTerritory>ZZ</SchemeTerritory></SchemeInformation>"
	    "<TrustServiceProviderList><TrustServiceProvider><TSPInformation>"
	    "<TSPName><Name xml:lang=\"en\">T</Name></TSPName>"
	    "</TSPInformation><TSPServices>"
	    "<TSPService><ServiceInformation><ServiceTypeIdentifier>"
	    "http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>"
	    "<ServiceDigitalIdentity><DigitalId><X509SubjectName>"
	    "CN = Test CA , O=Example\\, Ltd, C=ZZ</X509SubjectName>"
	    "</DigitalId></ServiceDigitalIdentity><ServiceStatus>"
	    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
	    "</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z"
	    "</StatusStartingTime></ServiceInformation></TSPService>"
	    "<TSPService><ServiceInformation><ServiceTypeIdentifier>"
	    "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC"
	    "</ServiceTypeIdentifier><ServiceDigitalIdentity><DigitalId>"
	    "<X509SubjectName>CN=Other CA, C=ZZ</X509SubjectName>"
	    "</DigitalId></ServiceDigitalIdentity><ServiceStatus>"
	    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
	    "</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z"
	    "</StatusStartingTime></ServiceInformation></TSPService>"
	    "</TSPServices></TrustServiceProvider></TrustServiceProviderList>"
	    "</TrustServiceStatusList>";
	struct val_report	 rep;
	struct tl_list		*l;
	struct tl_status_result	 res;
	X509_NAME		*nm;
	X509			*x, *y;
	const struct tl_list	*ls[1];

	val_report_init(&rep);
	l = tl_parse((const unsigned char *)doc, sizeof(doc) - 1, "syn", &rep);
	assert_non_null(l);
	ls[0] = l;
	nm = X509_NAME_new();
	X509_NAME_add_entry_by_txt(nm, "C", MBSTRING_ASC,
	    (const unsigned char *)"ZZ", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_ASC,
	    (const unsigned char *)"Example, Ltd", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)"test ca", -1, -1, 0);
	x = make_cert(nm, NULL);
	assert_int_equal(tl_status(x, ls, 1, 1700000000, &res), 0);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.v[0].match, TL_MATCH_SUBJECT);
	assert_true(res.v[0].granted);
	assert_string_equal(tl_service_type_short(res.v[0].service->cur.type),
	    "CA/QC");
	tl_status_result_free(&res);
	/* Before the status started: matched, no status. */
	assert_int_equal(tl_status(x, ls, 1, 1500000000, &res), 0);
	assert_int_equal(res.n, 1);
	assert_null(res.v[0].status);
	assert_false(res.v[0].granted);
	tl_status_result_free(&res);
	X509_NAME_free(nm);

	/* One attribute different: no match. */
	nm = X509_NAME_new();
	X509_NAME_add_entry_by_txt(nm, "C", MBSTRING_ASC,
	    (const unsigned char *)"ZZ", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)"Test CA", -1, -1, 0);
	y = make_cert(nm, NULL);
	assert_int_equal(tl_status(y, ls, 1, 1700000000, &res), 0);
	assert_int_equal(res.n, 0);
	tl_status_result_free(&res);
	tl_status_result_free(NULL);
	X509_NAME_free(nm);
	X509_free(x);
	X509_free(y);
	tl_list_free(l);
	val_report_clear(&rep);
}

static void
test_status_names(void **state)
{
	static const struct {
		const char	*uri;
		const char	*name;
		int		 granted;
	} names[] = {
#define E "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
#define O "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/" \
	"Svcstatus/"
		{ E "granted", "granted", 1 },
		{ E "withdrawn", "withdrawn", 0 },
		{ E "recognisedatnationallevel", "recognisedatnationallevel",
		    1 },
		{ E "deprecatedatnationallevel", "deprecatedatnationallevel",
		    0 },
		{ E "undersupervision", "undersupervision", 1 },
		{ E "supervisionincessation", "supervisionincessation", 1 },
		{ E "supervisionceased", "supervisionceased", 0 },
		{ E "supervisionrevoked", "supervisionrevoked", 0 },
		{ E "accredited", "accredited", 1 },
		{ E "accreditationceased", "accreditationceased", 0 },
		{ E "accreditationrevoked", "accreditationrevoked", 0 },
		{ E "setbynationallaw", "setbynationallaw", 1 },
		{ E "deprecatedbynationallaw", "deprecatedbynationallaw", 0 },
		{ O "undersupervision", "undersupervision", 1 },
		{ O "accredited", "accredited", 1 },
		{ "http://uri.etsi.org/TrstSvc/Svcstatus/inaccord", "inaccord",
		    1 },
		{ E "Granted", NULL, 0 },
		{ "http://zz-trusted-list.go.zz/TrstSvc/TrustedList/Svcstatus/"
		    "granted", NULL, 0 },
		{ E, NULL, 0 },
		{ NULL, NULL, 0 },
#undef E
#undef O
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].name == NULL)
			assert_null(tl_status_short(names[i].uri));
		else
			assert_string_equal(tl_status_short(names[i].uri),
			    names[i].name);
		assert_int_equal(tl_status_granted(names[i].uri),
		    names[i].granted);
	}
	assert_string_equal(tl_match_name(TL_MATCH_CERT), "certificate");
	assert_string_equal(tl_match_name(TL_MATCH_SKI), "ski");
	assert_string_equal(tl_match_name(TL_MATCH_SUBJECT), "subject");
	assert_string_equal(tl_service_type_short(
	    "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST"), "TSA/QTST");
	assert_string_equal(tl_service_type_short("urn:x"), "urn:x");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_subject_text),
		cmocka_unit_test(test_status_names),
	};
	int	 rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
