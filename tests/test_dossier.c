/*
 * test_dossier.c: dossier decoding (errors naming the member), the
 * automated checks (expected DOSSIER-* codes), certificate types from
 * QCStatements and key usage, and the policy file.  Table-driven, pinned
 * time, fixtures from fixtures/gen-35-dossier.sh and gen-10-pki.sh.
 *
 * A row starts from a sample dossier (build/fixtures/dossier/NAME.json) and
 * applies edits "path=JSON" (or "path=@file.pem" for a PEM string, or
 * "path=-" to delete), so that every case is the good dossier with one
 * thing wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "gw_svc.h"
#include "tl.h"
#include "helpers/test_util.h"

static const char	*fixtures;
static struct gw_policy	*policy;
static struct val_profile *profile;
static struct tl_list	*tl_granted, *tl_withdrawn, *tl_ski;
static time_t		 t_check;

static char *
slurp(const char *rel, size_t *len)
{
	return tu_slurp(fixtures, rel, 8 * 1024 * 1024, len);
}

/* Sets (or deletes, v NULL) the member at path ("a.b[2].c"). */
static void
jset(json_t *root, const char *path, json_t *v)
{
	char	 tok[128];
	json_t	*cur = root, *next;
	const char *p = path;
	size_t	 n, idx;
	int	 isidx;

	for (;;) {
		isidx = 0;
		if (*p == '[') {
			idx = strtoul(p + 1, (char **)&p, 10);
			assert_true(*p == ']');
			p++;
			isidx = 1;
		} else {
			n = strcspn(p, ".[");
			assert_true(n > 0 && n < sizeof(tok));
			memcpy(tok, p, n);
			tok[n] = '\0';
			p += n;
		}
		if (*p == '.')
			p++;
		if (*p == '\0') {
			if (isidx) {
				if (v == NULL)
					json_array_remove(cur, idx);
				else if (idx == json_array_size(cur))
					json_array_append_new(cur, v);
				else
					json_array_set_new(cur, idx, v);
			} else if (v == NULL)
				json_object_del(cur, tok);
			else
				json_object_set_new(cur, tok, v);
			return;
		}
		next = isidx ? json_array_get(cur, idx) :
		    json_object_get(cur, tok);
		assert_non_null(next);
		cur = next;
	}
}

/* Applies edits "path=value;path=value" to a copy of base. */
static char *
edited(const char *base, const char *edits)
{
	json_t		*root, *v;
	json_error_t	 je;
	char		*buf, *e, *tok, *save = NULL, *eq, *pem, *out;
	char		 rel[256];

	buf = slurp(base, NULL);
	root = json_loads(buf, 0, &je);
	if (root == NULL)
		fail_msg("%s: %s", base, je.text);
	free(buf);
	if (edits != NULL) {
		e = strdup(edits);
		for (tok = strtok_r(e, ";", &save); tok != NULL;
		    tok = strtok_r(NULL, ";", &save)) {
			eq = strchr(tok, '=');
			assert_non_null(eq);
			*eq++ = '\0';
			if (strcmp(eq, "-") == 0)
				v = NULL;
			else if (eq[0] == '@') {
				snprintf(rel, sizeof(rel), "%s", eq + 1);
				pem = slurp(rel, NULL);
				v = json_string(pem);
				free(pem);
			} else if ((v = json_loads(eq, JSON_DECODE_ANY,
			    &je)) == NULL)
				fail_msg("edit '%s': %s", eq, je.text);
			jset(root, tok, v);
		}
		free(e);
	}
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return out;
}

static void
test_decode_errors(void **state)
{
	static const struct {
		const char		*base;	/* NULL: raw is the body */
		const char		*edits;
		enum gw_svc_status	 want;
		const char		*code;
		const char		*field;
	} rows[] = {
		{ NULL, "not json", GW_SVC_BAD_REQUEST, "json-invalid", "" },
		{ NULL, "{\"applicant\":{},\"applicant\":{}}",
		    GW_SVC_BAD_REQUEST, "json-duplicate-key", "" },
		{ NULL, "[1,2]", GW_SVC_BAD_REQUEST, "json-not-object", "" },
		{ NULL, "{\"applicant\":{\"legal_name\":\"a\\u0000b\"}}",
		    GW_SVC_BAD_REQUEST, "json-invalid", "" },
		{ "dossier/good.json", "qualifications.audits[0].sah256=\"x\"",
		    GW_SVC_BAD_REQUEST, "unknown-field",
		    "qualifications.audits[0].sah256" },
		{ "dossier/good.json", "colour=\"blue\"",
		    GW_SVC_BAD_REQUEST, "unknown-field", "colour" },
		{ "dossier/good.json", "applicant.legal_name=-",
		    GW_SVC_BAD_REQUEST, "missing-field",
		    "applicant.legal_name" },
		{ "dossier/good.json", "ca_chain=-",
		    GW_SVC_BAD_REQUEST, "missing-field", "ca_chain" },
		{ "dossier/good.json", "applicant.country=49",
		    GW_SVC_BAD_REQUEST, "wrong-type", "applicant.country" },
		{ "dossier/good.json", "applicant.country=\"de\"",
		    GW_SVC_UNPROCESSABLE, "bad-value", "applicant.country" },
		{ "dossier/good.json", "applicant.country=\"Germany\"",
		    GW_SVC_UNPROCESSABLE, "too-long", "applicant.country" },
		{ "dossier/good.json", "applicant.legal_name=\"\"",
		    GW_SVC_UNPROCESSABLE, "empty-value",
		    "applicant.legal_name" },
		{ "dossier/good.json", "applicant.legal_name=\"a\\nb\"",
		    GW_SVC_UNPROCESSABLE, "bad-value", "applicant.legal_name" },
		{ "dossier/good.json", "application_scenarios[1]=\"space\"",
		    GW_SVC_UNPROCESSABLE, "unknown-scenario",
		    "application_scenarios[1]" },
		{ "dossier/good.json", "application_scenarios=[]",
		    GW_SVC_UNPROCESSABLE, "too-few", "application_scenarios" },
		{ "dossier/good.json", "certificate_types[1]=\"qualified-esig\"",
		    GW_SVC_UNPROCESSABLE, "duplicate", "certificate_types[1]" },
		{ "dossier/good.json", "certificate_types[0]=\"timestamps\"",
		    GW_SVC_UNPROCESSABLE, "unknown-type",
		    "certificate_types[0]" },
		{ "dossier/good.json", "certificate_types[0]=7",
		    GW_SVC_BAD_REQUEST, "wrong-type", "certificate_types[0]" },
		{ "dossier/good.json", "ca_chain[0]=\"hello\"",
		    GW_SVC_UNPROCESSABLE, "bad-pem", "ca_chain[0]" },
		{ "dossier/good.json", "ca_chain[0]=\"-----BEGIN CERTIFICATE-----"
		    "\\nAAAA\\n-----END CERTIFICATE-----\\n\"",
		    GW_SVC_UNPROCESSABLE, "bad-pem", "ca_chain[0]" },
		{ "dossier/good.json", "sample_certificates[0]={}",
		    GW_SVC_BAD_REQUEST, "wrong-type",
		    "sample_certificates[0]" },
		{ "dossier/good.json", "ca_chain=[]",
		    GW_SVC_UNPROCESSABLE, "too-few", "ca_chain" },
		{ "dossier/good.json", "qualifications.audits[0].date="
		    "\"2025-13-01\"", GW_SVC_UNPROCESSABLE, "bad-value",
		    "qualifications.audits[0].date" },
		{ "dossier/good.json", "qualifications.audits[0].sha256="
		    "\"ABC\"", GW_SVC_UNPROCESSABLE, "bad-value",
		    "qualifications.audits[0].sha256" },
		{ "dossier/good.json", "qualifications.audits[0].sha256="
		    "\"0123456789ABCDEF0123456789abcdef0123456789abcdef"
		    "0123456789abcdef\"", GW_SVC_UNPROCESSABLE, "bad-value",
		    "qualifications.audits[0].sha256" },
		{ "dossier/good.json", "qualifications.registered_capital."
		    "amount=-1", GW_SVC_UNPROCESSABLE, "out-of-range",
		    "qualifications.registered_capital.amount" },
		{ "dossier/good.json", "qualifications.registered_capital."
		    "amount=\"lots\"", GW_SVC_BAD_REQUEST, "wrong-type",
		    "qualifications.registered_capital.amount" },
		{ "dossier/good.json", "qualifications.registered_capital."
		    "currency=\"eur\"", GW_SVC_UNPROCESSABLE, "bad-value",
		    "qualifications.registered_capital.currency" },
		{ "dossier/good.json", "qualifications.technical_staff="
		    "\"many\"", GW_SVC_BAD_REQUEST, "wrong-type",
		    "qualifications.technical_staff" },
		{ "dossier/good.json", "qualifications.technical_staff=7.5",
		    GW_SVC_BAD_REQUEST, "wrong-type",
		    "qualifications.technical_staff" },
		{ "dossier/good.json", "key_algorithms[0]=\"p256\"",
		    GW_SVC_UNPROCESSABLE, "bad-value", "key_algorithms[0]" },
		{ "dossier/good.json", "trust_list.territory=\"de\"",
		    GW_SVC_UNPROCESSABLE, "bad-value",
		    "trust_list.territory" },
		{ "dossier/good.json", "trust_list.url=\"x\"",
		    GW_SVC_BAD_REQUEST, "unknown-field", "trust_list.url" },
		{ "dossier/good.json", "qualifications=[]",
		    GW_SVC_BAD_REQUEST, "wrong-type", "qualifications" },
	};
	struct gw_dossier	*d;
	struct gw_svc_err	 e;
	enum gw_svc_status	 st;
	char			*body;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		body = rows[i].base ? edited(rows[i].base, rows[i].edits) :
		    strdup(rows[i].edits);
		memset(&e, 0, sizeof(e));
		d = NULL;
		st = gw_dossier_decode(body, strlen(body), policy, &d, &e);
		if (st != rows[i].want || strcmp(e.code, rows[i].code) != 0 ||
		    strcmp(e.field, rows[i].field) != 0)
			fail_msg("row %zu (%s): got %d %s field '%s' (%s), want "
			    "%d %s field '%s'", i, rows[i].edits, st, e.code,
			    e.field, e.message, rows[i].want, rows[i].code,
			    rows[i].field);
		assert_null(d);
		free(body);
	}
}

static void
test_decode_limits(void **state)
{
	struct gw_dossier	*d = NULL;
	struct gw_svc_err	 e;
	char			*big, *body, edits[4096];
	size_t			 i, n;

	/* Oversize: 413 before parsing. */
	big = malloc(GW_MAX_DOSSIER_BYTES + 2);
	assert_non_null(big);
	memset(big, ' ', GW_MAX_DOSSIER_BYTES + 1);
	big[GW_MAX_DOSSIER_BYTES + 1] = '\0';
	assert_int_equal(gw_dossier_decode(big, GW_MAX_DOSSIER_BYTES + 1,
	    policy, &d, &e), GW_SVC_TOO_LARGE);
	free(big);
	/* One sample too many. */
	n = 0;
	for (i = 0; i <= GW_MAX_SAMPLES; i++)
		n += snprintf(edits + n, sizeof(edits) - n,
		    "%ssample_certificates[%zu]=@dossier/%s", i ? ";" : "", i,
		    i % 2 ? "qeseal.pem" : "qesig.pem");
	body = edited("dossier/good.json", edits);
	assert_int_equal(gw_dossier_decode(body, strlen(body), policy, &d, &e),
	    GW_SVC_UNPROCESSABLE);
	assert_string_equal(e.code, "too-many");
	assert_string_equal(e.field, "sample_certificates");
	free(body);
	/* Two certificates in one PEM string. */
	{
		char	*a, *b, *two, *esc;
		json_t	*root;

		a = slurp("dossier/ica.pem", NULL);
		b = slurp("dossier/root.pem", NULL);
		two = malloc(strlen(a) + strlen(b) + 1);
		assert_non_null(two);
		strcpy(two, a);
		strcat(two, b);
		body = edited("dossier/good.json", NULL);
		root = json_loads(body, 0, NULL);
		json_array_set_new(json_object_get(root, "ca_chain"), 0,
		    json_string(two));
		esc = json_dumps(root, 0);
		assert_int_equal(gw_dossier_decode(esc, strlen(esc), policy,
		    &d, &e), GW_SVC_UNPROCESSABLE);
		assert_string_equal(e.field, "ca_chain[0]");
		assert_non_null(strstr(e.message, "exactly one"));
		free(esc);
		json_decref(root);
		free(body);
		free(a);
		free(b);
		free(two);
	}
	/* The good and the minimal dossiers decode. */
	body = edited("dossier/good.json", NULL);
	assert_int_equal(gw_dossier_decode(body, strlen(body), policy, &d, &e),
	    GW_SVC_OK);
	assert_string_equal(d->legal_name, "Example Trust GmbH");
	assert_int_equal(d->ca_chain.n, 2);
	assert_int_equal(d->samples.n, 2);
	assert_int_equal(d->naudits, 1);
	assert_true(d->has_capital && d->capital_amount == 80000000.0);
	assert_string_equal(d->currency, "EUR");
	assert_int_equal(d->staff, 75);
	assert_string_equal(d->tl_territory, "DE");
	gw_dossier_free(d);
	free(body);
	body = edited("dossier/minimal.json", NULL);
	assert_int_equal(gw_dossier_decode(body, strlen(body), policy, &d, &e),
	    GW_SVC_OK);
	assert_false(d->has_qualifications);
	gw_dossier_free(d);
	free(body);
}

/* The distinct DOSSIER-* codes of rep, sorted, space-separated. */
static void
dossier_codes(const struct val_report *rep, char *out, size_t len)
{
	const char	*codes[64];
	const char	*t;
	size_t		 n = 0, i, j, k;

	for (i = 0; i < rep->n; i++) {
		if (strncmp(rep->items[i].rule->code, "DOSSIER-", 8) != 0)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(codes[j], rep->items[i].rule->code) == 0)
				break;
		if (j == n && n < 64)
			codes[n++] = rep->items[i].rule->code;
	}
	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			if (strcmp(codes[k], codes[i]) < 0) {
				t = codes[i];
				codes[i] = codes[k];
				codes[k] = t;
			}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, codes[i], len - strlen(out) - 1);
	}
}

enum tlset { TL_NONE, TL_EMPTY, TL_GRANTED, TL_WITHDRAWN, TL_SKI };

static void
test_checks(void **state)
{
	static const struct {
		const char	*base;
		const char	*edits;
		enum tlset	 tl;
		const char	*at;	/* NULL: the fixture TIME */
		const char	*want;	/* DOSSIER-* codes, sorted */
		const char	*also;	/* another code that must be there */
	} rows[] = {
		{ "dossier/good.json", NULL, TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED", "CHAIN-REV-UNCHECKED" },
		{ "dossier/good.json", NULL, TL_NONE, NULL,
		    "DOSSIER-TL-UNCHECKED", NULL },
		{ "dossier/good.json", NULL, TL_EMPTY, NULL,
		    "DOSSIER-TL-NOT-LISTED", NULL },
		{ "dossier/good.json", NULL, TL_WITHDRAWN, NULL,
		    "DOSSIER-TL-NOT-GRANTED", NULL },
		/* At a time before the withdrawal the service was granted. */
		{ "dossier/good.json", NULL, TL_WITHDRAWN,
		    "2025-01-01T00:00:00Z",
		    "DOSSIER-AUDIT-FUTURE DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "trust_list.territory=\"FR\"",
		    TL_GRANTED, NULL, "DOSSIER-TL-GRANTED DOSSIER-TL-TERRITORY",
		    NULL },
		{ "dossier/good.json", "trust_list=-", TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED DOSSIER-TL-NONE-DECLARED", NULL },
		{ "dossier/minimal.json", NULL, TL_GRANTED, NULL,
		    "DOSSIER-MISSING DOSSIER-TL-GRANTED "
		    "DOSSIER-TL-NONE-DECLARED DOSSIER-TYPE-NO-SAMPLE", NULL },
		{ "dossier/low.json", NULL, TL_GRANTED, NULL,
		    "DOSSIER-CAPITAL-LOW DOSSIER-STAFF-LOW DOSSIER-TL-GRANTED",
		    NULL },
		/* 9,000,000 EUR at 8.40 is 75.6 million CNY: enough. */
		{ "dossier/good.json", "qualifications.registered_capital."
		    "amount=9000000", TL_GRANTED, NULL, "DOSSIER-TL-GRANTED",
		    NULL },
		/* 8,000,000 EUR is 67.2 million CNY: below. */
		{ "dossier/good.json", "qualifications.registered_capital."
		    "amount=8000000", TL_GRANTED, NULL,
		    "DOSSIER-CAPITAL-LOW DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "qualifications.registered_capital."
		    "currency=\"XAU\"", TL_GRANTED, NULL,
		    "DOSSIER-CAPITAL-NO-RATE DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "qualifications.technical_staff=60",
		    TL_GRANTED, NULL, "DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "qualifications.technical_staff=59",
		    TL_GRANTED, NULL, "DOSSIER-STAFF-LOW DOSSIER-TL-GRANTED",
		    NULL },
		{ "dossier/good.json", "qualifications.audits[0].date="
		    "\"2026-02-01\"", TL_GRANTED, NULL,
		    "DOSSIER-AUDIT-FUTURE DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "qualifications.audits[0].date="
		    "\"2023-01-01\"", TL_GRANTED, NULL,
		    "DOSSIER-AUDIT-STALE DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "qualifications.audits=[];"
		    "qualifications.accreditation=-", TL_GRANTED, NULL,
		    "DOSSIER-MISSING DOSSIER-TL-GRANTED", NULL },
		/* Types shown by the samples against those declared. */
		{ "dossier/good.json", "sample_certificates[0]="
		    "@dossier/esig.pem;sample_certificates[1]="
		    "@dossier/eseal.pem", TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED DOSSIER-TYPE-NO-SAMPLE "
		    "DOSSIER-TYPE-UNDECLARED", NULL },
		{ "dossier/good.json", "certificate_types=[\"esig\",\"eseal\"];"
		    "sample_certificates[0]=@dossier/esig.pem;"
		    "sample_certificates[1]=@dossier/eseal.pem", TL_GRANTED,
		    NULL, "DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "certificate_types=[\"qualified-esig\"];"
		    "sample_certificates=[];sample_certificates[0]="
		    "@dossier/qc-notype.pem", TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "sample_certificates[1]="
		    "@dossier/other.pem", TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED DOSSIER-TYPE-NO-SAMPLE "
		    "DOSSIER-TYPE-UNDECLARED", NULL },
		{ "dossier/good.json", "sample_certificates[1]="
		    "@dossier/root.pem", TL_GRANTED, NULL,
		    "DOSSIER-SAMPLE-IS-CA DOSSIER-TL-GRANTED "
		    "DOSSIER-TYPE-NO-SAMPLE", NULL },
		/* Keys. */
		{ "dossier/good.json", "certificate_types=[\"qualified-esig\","
		    "\"esig\"];sample_certificates[1]=@dossier/rsa1024.pem",
		    TL_GRANTED, NULL, "DOSSIER-KEY-UNDECLARED DOSSIER-KEY-WEAK "
		    "DOSSIER-TL-GRANTED", "ALG-RSA-SMALL" },
		{ "dossier/good.json", "key_algorithms[1]=\"rsa-4096\"",
		    TL_GRANTED, NULL, "DOSSIER-KEY-UNUSED DOSSIER-TL-GRANTED",
		    NULL },
		{ "dossier/good.json", "key_algorithms=[\"rsa-2048\"]",
		    TL_GRANTED, NULL, "DOSSIER-KEY-UNDECLARED "
		    "DOSSIER-KEY-UNUSED DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "key_algorithms=-", TL_GRANTED, NULL,
		    "DOSSIER-MISSING DOSSIER-TL-GRANTED", NULL },
		/* The chain. */
		{ "dossier/good.json", "ca_chain[1]=-", TL_GRANTED, NULL,
		    "DOSSIER-CHAIN-NO-ROOT DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "sample_certificates[1]="
		    "@pki/p256/leaf.pem", TL_GRANTED, NULL,
		    "DOSSIER-CHAIN-INVALID DOSSIER-TL-GRANTED "
		    "DOSSIER-TYPE-NO-SAMPLE DOSSIER-TYPE-UNDECLARED", NULL },
		{ "dossier/good.json", "ca_chain[0]=@dossier/qesig.pem",
		    TL_GRANTED, NULL, "DOSSIER-CHAIN-INVALID "
		    "DOSSIER-CHAIN-NOT-CA DOSSIER-TL-NOT-LISTED", NULL },
		{ "dossier/good.json", NULL, TL_GRANTED,
		    "2041-01-01T00:00:00Z", "DOSSIER-AUDIT-STALE "
		    "DOSSIER-CHAIN-INVALID DOSSIER-TL-GRANTED",
		    "CHAIN-CERT-EXPIRED" },
		{ "dossier/good.json", "applicant.country=\"FR\"", TL_GRANTED,
		    NULL, "DOSSIER-COUNTRY-MISMATCH DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", "sample_certificates[0]="
		    "@dossier/brainpool.pem", TL_GRANTED, NULL,
		    "DOSSIER-KEY-UNKNOWN DOSSIER-TL-GRANTED",
		    "ALG-CURVE-NOT-ALLOWED" },
		{ "dossier/good.json", "trust_list.service_name=\"Other CA\"",
		    TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED DOSSIER-TL-SERVICE-NAME", NULL },
		{ "dossier/good.json", "trust_list.service_name="
		    "\"EXAMPLE TRUST QUALIFIED CA\"", TL_GRANTED, NULL,
		    "DOSSIER-TL-GRANTED", NULL },
		{ "dossier/good.json", NULL, TL_SKI, NULL,
		    "DOSSIER-TL-GRANTED DOSSIER-TL-WEAK-MATCH", NULL },
	};
	char			 seen[4096] = " ";
	struct gw_check_in	 in;
	struct gw_dossier	*d;
	struct gw_svc_err	 e;
	struct val_report	 rep;
	const struct tl_list	*lists[1];
	struct val_profile	*profs[1];
	char			*body, got[1024];
	time_t			 at;
	size_t			 i;

	profs[0] = profile;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		body = edited(rows[i].base, rows[i].edits);
		d = NULL;
		if (gw_dossier_decode(body, strlen(body), policy, &d,
		    &e) != GW_SVC_OK)
			fail_msg("row %zu: decode: %s: %s", i, e.field,
			    e.message);
		memset(&in, 0, sizeof(in));
		in.policy = policy;
		in.profiles = profs;
		in.nprofiles = 1;
		switch (rows[i].tl) {
		case TL_NONE:
			break;
		case TL_EMPTY:
			in.tl_lists = lists;
			break;
		case TL_GRANTED:
			lists[0] = tl_granted;
			in.tl_lists = lists;
			in.ntl_lists = 1;
			break;
		case TL_WITHDRAWN:
			lists[0] = tl_withdrawn;
			in.tl_lists = lists;
			in.ntl_lists = 1;
			break;
		case TL_SKI:
			lists[0] = tl_ski;
			in.tl_lists = lists;
			in.ntl_lists = 1;
			break;
		}
		at = t_check;
		if (rows[i].at != NULL)
			assert_int_equal(val_time_parse(rows[i].at, &at), 0);
		val_report_init(&rep);
		assert_int_equal(gw_dossier_check(d, &in, at, &rep), 0);
		dossier_codes(&rep, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0 || (rows[i].also != NULL &&
		    !val_report_has(&rep, rows[i].also))) {
			val_report_print(stderr, &rep);
			fail_msg("row %zu (%s): got '%s', want '%s' (and %s)",
			    i, rows[i].edits ? rows[i].edits : rows[i].base,
			    got, rows[i].want,
			    rows[i].also ? rows[i].also : "-");
		}
		strncat(seen, got, sizeof(seen) - strlen(seen) - 2);
		strcat(seen, " ");
		val_report_clear(&rep);
		gw_dossier_free(d);
		free(body);
	}
	/* Every DOSSIER-* rule is triggered by some row above. */
	for (i = 0; gw_dossier_rule_at(i) != NULL; i++) {
		char	 pat[80];

		snprintf(pat, sizeof(pat), " %s ", gw_dossier_rule_at(i)->code);
		if (strstr(seen, pat) == NULL)
			fail_msg("no row triggers %s", gw_dossier_rule_at(i)->code);
	}
	assert_true(i >= 24);
}

static void
test_cert_types(void **state)
{
	static const struct {
		const char	*file;
		const char	*type;
		const char	*key;
	} rows[] = {
		{ "dossier/qesig.pem", "qualified-esig", "ec-p256" },
		{ "dossier/qeseal.pem", "qualified-eseal", "ec-p256" },
		{ "dossier/qc-notype.pem", "qualified-esig", "ec-p256" },
		{ "dossier/esig.pem", "esig", "ec-p256" },
		{ "dossier/eseal.pem", "eseal", "ec-p256" },
		{ "dossier/other.pem", "other", "ec-p256" },
		{ "dossier/ica.pem", "ca", "ec-p256" },
		{ "dossier/root.pem", "ca", "ec-p256" },
		{ "dossier/rsa1024.pem", "esig", "rsa-1024" },
		{ "pki/rsa/leaf.pem", "eseal", "rsa-2048" },
		{ "pki/sm2/leaf.pem", "eseal", "sm2" },
		{ "dossier/brainpool.pem", "qualified-esig", NULL },
	};
	struct val_certs	 cs;
	char			 path[1024], err[256], key[64];
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&cs, 0, sizeof(cs));
		snprintf(path, sizeof(path), "%s/%s", fixtures, rows[i].file);
		if (val_certs_load_file(path, &cs, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_string_equal(gw_cert_type(cs.v[0].x509), rows[i].type);
		if (rows[i].key == NULL)
			assert_int_equal(gw_key_algorithm(cs.v[0].x509, key,
			    sizeof(key)), -1);
		else {
			assert_int_equal(gw_key_algorithm(cs.v[0].x509, key,
			    sizeof(key)), 0);
			assert_string_equal(key, rows[i].key);
		}
		val_certs_free(&cs);
	}
}

/* gw_dossier_print() of the sample dossiers against committed dumps. */
static void
test_golden(void **state)
{
	static const struct {
		const char	*in;
		const char	*golden;
	} rows[] = {
		{ "dossier/good.json", "tests/golden/dossier-good.out" },
		{ "dossier/minimal.json", "tests/golden/dossier-minimal.out" },
	};
	struct gw_dossier	*d;
	struct gw_svc_err	 e;
	char			*body, *got, *want, err[256];
	unsigned char		*w;
	size_t			 len, wlen, i;
	FILE			*fp;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		body = slurp(rows[i].in, &len);
		assert_int_equal(gw_dossier_decode(body, len, policy, &d, &e),
		    GW_SVC_OK);
		got = NULL;
		fp = open_memstream(&got, &len);
		assert_non_null(fp);
		gw_dossier_print(fp, d);
		fclose(fp);
		if (val_read_file(rows[i].golden, 1 << 20, &w, &wlen, err,
		    sizeof(err)) != 0)
			fail_msg("%s", err);
		want = (char *)w;
		if (wlen != len || memcmp(want, got, len) != 0)
			fail_msg("%s differs from %s; got:\n%s", rows[i].in,
			    rows[i].golden, got);
		free(want);
		free(got);
		gw_dossier_free(d);
		free(body);
	}
}

static void
test_policy(void **state)
{
	static const char base[] =
	    "{\"policy_version\":1,\"certificate_types\":[\"esig\"],"
	    "\"scenarios\":[{\"id\":\"trade\"}],"
	    "\"exchange_rates\":{\"date\":\"2025-06-30\","
	    "\"cny_per_unit\":{\"EUR\":8.4}}%s}";
	static const struct {
		const char	*extra;
		const char	*err;	/* NULL: loads */
	} rows[] = {
		{ "", NULL },
		{ ",\"thresholds\":{\"technical_staff\":10}", NULL },
		{ ",\"colour\":1", "colour" },
		{ ",\"thresholds\":{\"staff\":1}", "thresholds.staff" },
		{ ",\"revocation\":{\"soft_fail\":\"yes\"}",
		    "revocation.soft_fail" },
		{ ",\"recognition\":{\"default_validity_days\":0}",
		    "recognition.default_validity_days" },
		{ ",\"scenarios\":[]", "duplicate" },
	};
	struct gw_policy	*p;
	char			 buf[1024], err[512];
	double			 r;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(buf, sizeof(buf), base, rows[i].extra);
		p = gw_policy_parse(buf, strlen(buf), "t.json", err,
		    sizeof(err));
		if (rows[i].err == NULL) {
			if (p == NULL)
				fail_msg("row %zu: %s", i, err);
			assert_true(p->min_capital_cny == 70000000.0);
			assert_int_equal(p->min_staff, i == 1 ? 10 : 60);
			assert_int_equal(p->validity_days, 1095);
			assert_int_equal(p->approval_requires_pass, 1);
			assert_int_equal(gw_policy_rate(p, "EUR", &r), 0);
			assert_true(r == 8.4);
			assert_int_equal(gw_policy_rate(p, "USD", &r), -1);
			assert_true(gw_policy_scenario_ok(p, "trade"));
			assert_false(gw_policy_scenario_ok(p, "x"));
			gw_policy_free(p);
		} else {
			if (p != NULL || strstr(err, rows[i].err) == NULL)
				fail_msg("row %zu: want an error naming '%s', "
				    "got '%s'", i, rows[i].err, p ? "(loaded)" :
				    err);
		}
	}
	/* A policy with no scenarios at all is refused too. */
	snprintf(buf, sizeof(buf), "{\"policy_version\":1,"
	    "\"certificate_types\":[\"esig\"],\"scenarios\":[],"
	    "\"exchange_rates\":{\"date\":\"2025-06-30\","
	    "\"cny_per_unit\":{}}}");
	assert_null(gw_policy_parse(buf, strlen(buf), "t.json", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "scenarios"));
}

static struct tl_list *
tl_fixture(const char *rel)
{
	struct val_report	 rep;
	struct tl_list		*l;
	char			*buf;
	size_t			 len;

	buf = slurp(rel, &len);
	val_report_init(&rep);
	l = tl_parse((unsigned char *)buf, len, rel, &rep);
	if (l == NULL) {
		val_report_print(stderr, &rep);
		fail_msg("%s does not parse", rel);
	}
	val_report_clear(&rep);
	free(buf);
	return l;
}

static int
setup(void **state)
{
	char	 err[512], *t;

	if ((fixtures = getenv("FIXTURES")) == NULL)
		fixtures = "build/fixtures";
	xmlInitParser();
	policy = gw_policy_load("profiles/policy.json", err, sizeof(err));
	if (policy == NULL) {
		fprintf(stderr, "policy: %s\n", err);
		return -1;
	}
	if ((profile = val_profile_load("intl", "profiles", err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "profile: %s\n", err);
		return -1;
	}
	tl_granted = tl_fixture("dossier/tl-granted.xml");
	tl_withdrawn = tl_fixture("dossier/tl-withdrawn.xml");
	tl_ski = tl_fixture("dossier/tl-ski.xml");
	t = slurp("dossier/TIME", NULL);
	t[strcspn(t, "\n")] = '\0';
	if (val_time_parse(t, &t_check) != 0)
		return -1;
	free(t);
	return 0;
}

static int
teardown(void **state)
{
	gw_policy_free(policy);
	val_profile_free(profile);
	tl_list_free(tl_granted);
	tl_list_free(tl_withdrawn);
	tl_list_free(tl_ski);
	xmlCleanupParser();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_decode_limits),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_cert_types),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests_name("dossier", tests, setup, teardown);
}
