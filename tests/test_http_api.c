/*
 * test_http_api.c: the gateway's API end to end over HTTPS with client
 * certificates, against the real `xbrg serve` on port 0: submission,
 * cross-tenant isolation, bad inputs changing nothing, the review
 * lifecycle with four-eyes, signed decisions downloaded and verified
 * offline (`xbrg verify-decision`), recognitions, relying-party validation
 * (recognized / not-recognized / invalid, suspension and revocation),
 * complaints, and durability across kill -9.
 *
 * Validation times are pinned (2029-06-01, inside the fixture PKI's
 * validity and the approval's "valid_until"); only the server's own
 * timestamps (submission, decisions) come from its clock.
 */
#include <sys/wait.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "gw.h"
#include "gw_cms_int.h"
#include "helpers/gw_testsrv.h"

#define AT		"2029-06-01T00:00:00Z"
#define VALID_UNTIL	"2029-12-01T00:00:00Z"

static struct gw_testsrv	 srv;
static char			 dossier_a[64];	/* id, once submitted */

static int
setup(void **state)
{
	if (!gw_testsrv_available())
		return 0;
	return gw_testsrv_start(&srv, NULL);
}

static int
teardown(void **state)
{
	if (srv.pid > 0)
		assert_int_equal(gw_testsrv_stop(&srv), 0);
	gw_testsrv_cleanup(&srv);
	return 0;
}

#define NEED_SERVER() do { if (srv.pid <= 0) skip(); } while (0)

static char *
pki_file(const char *rel, size_t *len)
{
	char	 p[1024];

	snprintf(p, sizeof(p), "%s/%s", srv.pki, rel);
	return gw_test_read(p, len);
}

/* Base64 of a fixture file (DER CRLs). */
static json_t *
b64_file(const char *rel)
{
	unsigned char	*out;
	char		*buf;
	size_t		 len;
	json_t		*s;

	buf = pki_file(rel, &len);
	assert_non_null(buf);
	out = malloc(len * 2 + 4);
	assert_non_null(out);
	EVP_EncodeBlock(out, (unsigned char *)buf, (int)len);
	s = json_string((char *)out);
	free(out);
	free(buf);
	return s;
}

static void
expect(struct gw_resp *r, long status, const char *what)
{
	if (r->status != status)
		fail_msg("%s: HTTP %ld, want %ld: %s", what, r->status, status,
		    r->body ? r->body : "");
}

static const char *
jstr(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* How many dossiers this user sees. */
static size_t
count_dossiers(const char *who)
{
	struct gw_resp	 r;
	size_t		 n;

	assert_int_equal(gw_http(&srv, who, "GET", "/v1/dossiers", NULL, NULL,
	    0, &r), 0);
	expect(&r, 200, "list dossiers");
	n = json_array_size(json_object_get(r.json, "dossiers"));
	gw_resp_free(&r);
	return n;
}

static void
test_submit_and_isolation(void **state)
{
	struct gw_resp	 r;
	char		*body, path[128];
	size_t		 len;

	NEED_SERVER();
	body = pki_file("dossier-a.json", &len);
	assert_non_null(body);
	/* No certificate, or the wrong role: refused before anything. */
	assert_int_equal(gw_http(&srv, NULL, "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	expect(&r, 401, "anonymous submit");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "reviewer-a", "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	expect(&r, 403, "reviewer submit");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "revoked-reviewer", "GET",
	    "/v1/dossiers", NULL, NULL, 0, &r), 0);
	expect(&r, 401, "revoked client certificate");
	gw_resp_free(&r);

	assert_int_equal(gw_http(&srv, "submitter-a", "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	expect(&r, 201, "submit");
	snprintf(dossier_a, sizeof(dossier_a), "%s", jstr(r.json, "id"));
	assert_true(strlen(dossier_a) > 4);
	assert_string_equal(jstr(r.json, "status"), "submitted");
	assert_non_null(json_object_get(r.json, "checks"));
	gw_resp_free(&r);
	free(body);

	snprintf(path, sizeof(path), "/v1/dossiers/%s", dossier_a);
	static const struct {
		const char	*who;
		long		 status;
	} rows[] = {
		{ "submitter-a", 200 },
		{ "reviewer-a", 200 },
		{ "admin", 200 },
		{ "submitter-b", 404 },	/* another tenant: not revealed */
		{ NULL, 401 },
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_http(&srv, rows[i].who, "GET", path, NULL,
		    NULL, 0, &r), 0);
		expect(&r, rows[i].status, rows[i].who ? rows[i].who : "-");
		gw_resp_free(&r);
	}
	assert_int_equal(count_dossiers("submitter-b"), 0);
	assert_int_equal(count_dossiers("submitter-a"), 1);
}

/* Each bad input gets its documented error and changes nothing. */
static void
test_bad_inputs(void **state)
{
	static const struct {
		const char	*ctype;
		const char	*body;	/* NULL: the big one */
		long		 status;
		const char	*code_prefix;
	} rows[] = {
		{ "application/json", "{\"applicant\": ", 400, "" },
		{ "application/json", "[1, 2]", 400, "" },
		{ "application/json", "{\"applicant\": {}, \"applicant\": {}}",
		    400, "" },
		{ "application/json", "{\"bogus_field\": 1}", 400, "" },
		{ "application/json", "{\"applicant\": {\"legal_name\": \"X\", "
		    "\"country\": \"DE\"}, \"certificate_types\": [\"esig\"], "
		    "\"application_scenarios\": [\"e-invoicing\"], "
		    "\"ca_chain\": [\"-----BEGIN CERTIFICATE-----\\nAAAA\\n"
		    "-----END CERTIFICATE-----\\n\"]}", 422, "" },
		{ "text/plain", "{}", 415, "unsupported-media-type" },
		{ "application/json", NULL, 413, "body-too-large" },
	};
	struct gw_resp	 r;
	char		*big;
	size_t		 i, before, n;

	NEED_SERVER();
	before = count_dossiers("submitter-a");
	n = 3 * 1024 * 1024;
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_http(&srv, "submitter-a", "POST",
		    "/v1/dossiers", rows[i].ctype,
		    rows[i].body ? rows[i].body : big,
		    rows[i].body ? strlen(rows[i].body) : n, &r), 0);
		expect(&r, rows[i].status, rows[i].body ? rows[i].body :
		    "oversize");
		assert_true(strlen(gw_resp_error_code(&r)) > 0);
		assert_non_null(json_object_get(json_object_get(r.json,
		    "error"), "message"));
		if (rows[i].code_prefix[0] != '\0')
			assert_string_equal(gw_resp_error_code(&r),
			    rows[i].code_prefix);
		gw_resp_free(&r);
		assert_int_equal(count_dossiers("submitter-a"), before);
	}
	/* The unknown field is named. */
	assert_int_equal(gw_http(&srv, "submitter-a", "POST", "/v1/dossiers",
	    "application/json", "{\"bogus_field\": 1}", 18, &r), 0);
	assert_non_null(strstr(r.body, "bogus_field"));
	gw_resp_free(&r);
	free(big);
}

static json_t *
review(const char *who, const char *action, long want)
{
	struct gw_resp	 r;
	json_t		*b, *out;
	char		 path[128];

	snprintf(path, sizeof(path), "/v1/dossiers/%s/reviews", dossier_a);
	if (strcmp(action, "approve") == 0)
		b = json_pack("{s:s, s:s, s:s}", "action", action, "comment",
		    "test", "valid_until", VALID_UNTIL);
	else
		b = json_pack("{s:s, s:s}", "action", action, "comment",
		    "test");
	assert_int_equal(gw_http_json(&srv, who, "POST", path, b, &r), 0);
	json_decref(b);
	expect(&r, want, action);
	out = json_incref(r.json);
	gw_resp_free(&r);
	return out;
}

static const char *
dossier_status(void)
{
	static char	 st[64];
	struct gw_resp	 r;
	char		 path[128];

	snprintf(path, sizeof(path), "/v1/dossiers/%s", dossier_a);
	assert_int_equal(gw_http(&srv, "reviewer-a", "GET", path, NULL, NULL,
	    0, &r), 0);
	expect(&r, 200, "get dossier");
	snprintf(st, sizeof(st), "%s", jstr(r.json, "status"));
	gw_resp_free(&r);
	return st;
}

/* /v1/validate with the foreign-a chain and its CRLs at the pinned time. */
static json_t *
validate(const char *chainfile, const char *scenario, int with_crls,
    long want)
{
	struct gw_resp	 r;
	json_t		*req, *chain, *crls, *out;
	char		*pem, *p, *q;
	size_t		 len;

	pem = pki_file(chainfile, &len);
	assert_non_null(pem);
	chain = json_array();
	for (p = pem; (q = strstr(p, "-----END CERTIFICATE-----")) != NULL;
	    p = q) {
		q += strlen("-----END CERTIFICATE-----");
		json_array_append_new(chain, json_stringn(p, q - p));
	}
	free(pem);
	req = json_pack("{s:o, s:s}", "chain", chain, "at", AT);
	if (scenario != NULL)
		json_object_set_new(req, "scenario", json_string(scenario));
	if (with_crls) {
		crls = json_array();
		if (strncmp(chainfile, "foreign-a", 9) == 0) {
			json_array_append_new(crls,
			    b64_file("foreign-a/int.crl.der"));
			json_array_append_new(crls,
			    b64_file("foreign-a/root.crl.der"));
		} else
			json_array_append_new(crls,
			    b64_file("foreign-b/root.crl.der"));
		json_object_set_new(req, "crls", crls);
	}
	assert_int_equal(gw_http_json(&srv, NULL, "POST", "/v1/validate", req,
	    &r), 0);
	json_decref(req);
	expect(&r, want, chainfile);
	out = json_incref(r.json);
	gw_resp_free(&r);
	return out;
}

/* /v1/validate with a CMS signature of foreign-a's leaf. */
static void
check_cms(const char *sigfile, const char *contentfile, int tamper,
    const char *verdict)
{
	struct gw_resp	 r;
	json_t		*req, *c;
	const char	*got;

	req = json_pack("{s:o, s:s, s:s}", "cms", b64_file(sigfile), "at", AT,
	    "scenario", "e-invoicing");
	json_object_set_new(req, "crls", json_pack("[o, o]",
	    b64_file("foreign-a/int.crl.der"),
	    b64_file("foreign-a/root.crl.der")));
	if (contentfile != NULL) {
		c = b64_file(contentfile);
		if (tamper) {
			/* Another text of the same length. */
			char *t = strdup(json_string_value(c));
			t[0] = t[0] == 'A' ? 'B' : 'A';
			json_string_set(c, t);
			free(t);
		}
		json_object_set_new(req, "content", c);
	}
	assert_int_equal(gw_http_json(&srv, NULL, "POST", "/v1/validate", req,
	    &r), 0);
	json_decref(req);
	expect(&r, 200, sigfile);
	got = jstr(r.json, "verdict");
	if (strcmp(got, verdict) != 0)
		fail_msg("%s%s: %s, want %s: %s", sigfile, tamper ?
		    " (tampered)" : "", got, verdict, r.body);
	gw_resp_free(&r);
}

/* An SM2 signature (GM/T 0009 ID), made with the gateway's own CMS code
 * and the demo SM2 signer, encapsulated or detached: the signature
 * verifies, the signer's CA is recognized by nobody; a flipped signature
 * byte makes it invalid. */
static void
sm2_cms_case(int detached)
{
	static const char	 text[] = "SM2-signed trade document";
	struct gw_signer	*sg;
	struct gw_resp		 r;
	unsigned char		*der = NULL, *b64, ctext[64];
	size_t			 len = 0;
	char			 err[256], k[600], c[600];
	json_t			*req;
	int			 flip;

	snprintf(k, sizeof(k), "%s/signer-sm2.key", srv.pki);
	snprintf(c, sizeof(c), "%s/signer-sm2.pem", srv.pki);
	sg = gw_signer_load(k, c, err, sizeof(err));
	assert_non_null(sg);
	assert_int_equal(gw_cms_sign_id(sg, (const unsigned char *)text,
	    strlen(text), 1900000000, VAL_SM2_ID, VAL_SM2_ID_LEN, detached,
	    &der, &len, err, sizeof(err)), 0);
	gw_signer_free(sg);
	EVP_EncodeBlock(ctext, (const unsigned char *)text, strlen(text));
	b64 = malloc(len * 2 + 4);
	assert_non_null(b64);
	for (flip = 0; flip < 2; flip++) {
		if (flip)
			der[len - 10] ^= 0x01;	/* inside the signature */
		EVP_EncodeBlock(b64, der, (int)len);
		req = json_pack("{s:s, s:s}", "cms", (char *)b64, "at", AT);
		if (detached)
			json_object_set_new(req, "content",
			    json_string((char *)ctext));
		assert_int_equal(gw_http_json(&srv, NULL, "POST",
		    "/v1/validate", req, &r), 0);
		json_decref(req);
		expect(&r, 200, "sm2 cms");
		if (!flip) {
			assert_string_equal(jstr(r.json, "verdict"),
			    "not-recognized");
			assert_string_equal(jstr(r.json, "reason"),
			    "unknown-ca");
		} else
			assert_string_equal(jstr(r.json, "verdict"),
			    "invalid");
		gw_resp_free(&r);
	}
	free(b64);
	free(der);
}

static void
test_validate_sm2_cms(void **state)
{
	NEED_SERVER();
	sm2_cms_case(0);
	sm2_cms_case(1);
}

/* The PEM of the certificate in pem with one signature bit flipped. */
static char *
forged(const char *pem)
{
	BIO			*b;
	X509			*x;
	unsigned char		*der = NULL;
	const unsigned char	*p;
	char			*out, *s;
	long			 m;
	int			 n;

	b = BIO_new_mem_buf(pem, -1);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	n = i2d_X509(x, &der);
	X509_free(x);
	assert_true(n > 0);
	der[n - 1] ^= 0x01;	/* the signature's last octet */
	p = der;
	x = d2i_X509(NULL, &p, n);
	assert_non_null(x);
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	m = BIO_get_mem_data(b, &out);
	s = strndup(out, (size_t)m);
	BIO_free(b);
	X509_free(x);
	OPENSSL_free(der);
	return s;
}

/* A chain ending in the requester's own root: valid when the root signed
 * itself, no path when its self-signature is forged. */
static void
test_validate_forged_root(void **state)
{
	struct gw_resp	 r;
	json_t		*req;
	char		*leaf, *root, *bad;
	size_t		 len;
	int		 forge;

	NEED_SERVER();
	leaf = pki_file("foreign-b/leaf.pem", &len);
	root = pki_file("foreign-b/root.pem", &len);
	assert_non_null(leaf);
	assert_non_null(root);
	bad = forged(root);
	for (forge = 0; forge < 2; forge++) {
		req = json_pack("{s:[s, s], s:s, s:[o]}", "chain", leaf,
		    forge ? bad : root, "at", AT, "crls",
		    b64_file("foreign-b/root.crl.der"));
		assert_int_equal(gw_http_json(&srv, NULL, "POST",
		    "/v1/validate", req, &r), 0);
		json_decref(req);
		expect(&r, 200, "forged root");
		if (strcmp(jstr(r.json, "reason"), forge ? "unknown-ca" :
		    "no-recognition") != 0)
			fail_msg("forge %d: %s", forge, r.body);
		gw_resp_free(&r);
	}
	free(bad);
	free(root);
	free(leaf);
}

static void
check_verdict(const char *chainfile, const char *scenario, int crls,
    const char *verdict, const char *reason)
{
	json_t	*v = validate(chainfile, scenario, crls, 200);

	if (strcmp(jstr(v, "verdict"), verdict) != 0 ||
	    (reason != NULL && strcmp(jstr(v, "reason"), reason) != 0)) {
		char *s = json_dumps(v, JSON_INDENT(1));
		fail_msg("%s %s: want %s/%s, got %s", chainfile,
		    scenario ? scenario : "-", verdict, reason ? reason : "-",
		    s);
	}
	json_decref(v);
}

static void
test_lifecycle_and_decisions(void **state)
{
	struct gw_resp	 r;
	json_t		*o;
	char		 path[160], file[300], cmd[1200], did[64];
	char		*body;
	size_t		 len;
	FILE		*fp;
	int		 st, byte;

	NEED_SERVER();
	if (dossier_a[0] == '\0')
		skip();
	/* The reviewers' queue. */
	assert_int_equal(gw_http(&srv, "reviewer-b", "GET",
	    "/v1/dossiers?status=submitted", NULL, NULL, 0, &r), 0);
	expect(&r, 200, "queue");
	assert_non_null(strstr(r.body, dossier_a));
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "reviewer-b", "GET",
	    "/v1/dossiers?status=nonsense", NULL, NULL, 0, &r), 0);
	expect(&r, 422, "bad status filter");
	gw_resp_free(&r);

	/* Submitters and admins do not review. */
	json_decref(review("submitter-a", "approve", 403));
	json_decref(review("admin", "approve", 403));
	/* Amending is only for information requests. */
	body = pki_file("dossier-a.json", &len);
	snprintf(path, sizeof(path), "/v1/dossiers/%s", dossier_a);
	assert_int_equal(gw_http(&srv, "submitter-a", "PUT", path,
	    "application/json", body, len, &r), 0);
	expect(&r, 409, "amend while submitted");
	gw_resp_free(&r);
	json_decref(review("reviewer-a", "request-info", 200));
	assert_string_equal(dossier_status(), "info-requested");
	assert_int_equal(gw_http(&srv, "submitter-b", "PUT", path,
	    "application/json", body, len, &r), 0);
	expect(&r, 404, "amend by another tenant");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "submitter-a", "PUT", path,
	    "application/json", body, len, &r), 0);
	expect(&r, 200, "amend");
	gw_resp_free(&r);
	free(body);
	assert_string_equal(dossier_status(), "under-review");

	/* Before approval: valid chain, no recognition. */
	check_verdict("foreign-a/chain.pem", "e-invoicing", 1,
	    "not-recognized", NULL);

	/* Four eyes. */
	o = review("reviewer-a", "approve", 200);
	assert_true(json_is_true(json_object_get(o, "pending_approval")));
	json_decref(o);
	json_decref(review("reviewer-a", "approve", 409));
	assert_string_equal(dossier_status(), "under-review");
	o = review("reviewer-b", "approve", 200);
	assert_string_equal(jstr(o, "status"), "approved");
	snprintf(did, sizeof(did), "%s", jstr(json_object_get(o, "decision"),
	    "id"));
	assert_true(strlen(did) > 4);
	json_decref(o);

	/* Decisions: public, JSON and DER, verifiable offline. */
	snprintf(path, sizeof(path), "/v1/decisions?dossier=%s", dossier_a);
	assert_int_equal(gw_http(&srv, NULL, "GET", path, NULL, NULL, 0, &r),
	    0);
	expect(&r, 200, "decision list");
	assert_non_null(strstr(r.body, did));
	gw_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/decisions/%s", did);
	assert_int_equal(gw_http(&srv, NULL, "GET", path, NULL, NULL, 0, &r),
	    0);
	expect(&r, 200, "decision");
	assert_string_equal(jstr(r.json, "dossier_id"), dossier_a);
	assert_string_equal(jstr(r.json, "action"), "approve");
	gw_resp_free(&r);
	snprintf(path, sizeof(path), "/v1/decisions/%s.p7m", did);
	assert_int_equal(gw_http(&srv, NULL, "GET", path, NULL, NULL, 0, &r),
	    0);
	expect(&r, 200, "decision DER");
	assert_non_null(strstr(r.ctype, "application/pkcs7-mime"));
	snprintf(file, sizeof(file), "%s/decision.p7m", srv.dir);
	fp = fopen(file, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r.body, 1, r.len, fp), r.len);
	fclose(fp);
	gw_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "'%s' verify-decision '%s' --signer "
	    "'%s/signer-sm2.pem' >/dev/null 2>&1", getenv("XBRG"), file,
	    srv.pki);
	st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* A flipped byte does not verify. */
	/* Flip one bit: overwriting with a constant leaves the file as it
	 * was when the (random) signature byte already held it. */
	fp = fopen(file, "r+b");
	assert_non_null(fp);
	fseek(fp, -40, SEEK_END);
	byte = fgetc(fp);
	assert_true(byte != EOF);
	fseek(fp, -40, SEEK_END);
	fputc(byte ^ 0x01, fp);
	fclose(fp);
	st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	assert_int_equal(gw_http(&srv, NULL, "GET", "/v1/decisions/nope.p7m",
	    NULL, NULL, 0, &r), 0);
	expect(&r, 404, "unknown decision");
	gw_resp_free(&r);

	/* The recognition is public. */
	assert_int_equal(gw_http(&srv, NULL, "GET",
	    "/v1/recognitions?at=" AT, NULL, NULL, 0, &r), 0);
	expect(&r, 200, "recognitions");
	assert_non_null(strstr(r.body, dossier_a));
	gw_resp_free(&r);

	/* Relying parties. */
	check_verdict("foreign-a/chain.pem", "e-invoicing", 1, "recognized",
	    NULL);
	check_verdict("foreign-a/chain.pem", NULL, 1, "recognized", NULL);
	check_verdict("foreign-a/chain-revoked.pem", "e-invoicing", 1,
	    "invalid", NULL);
	check_verdict("foreign-a/chain.pem", "logistics", 1,
	    "not-recognized", "scenario-not-covered");
	check_verdict("foreign-a/chain.pem", "e-invoicing", 0, "invalid",
	    NULL);	/* no revocation data, offline, hard-fail policy */
	check_verdict("foreign-b/chain.pem", "e-invoicing", 1,
	    "not-recognized", NULL);
	o = validate("foreign-a/chain.pem", "no-such-scenario", 1, 422);
	json_decref(o);

	/* The access log names the verdict; /metrics counts cache hits. */
	usleep(100000);
	assert_true(gw_testsrv_log_count(&srv, "\"path\":\"/v1/validate\","
	    "\"status\":200,\"role\":\"public\",\"user\":null,"
	    "\"verdict\":\"recognized\"") >= 2);
	assert_int_equal(gw_http(&srv, NULL, "GET", "/metrics", NULL, NULL, 0,
	    &r), 0);
	assert_null(strstr(r.body, "cache=\"chain\",result=\"hit\"} 0\n"));
	assert_null(strstr(r.body, "cache=\"revocation\",result=\"hit\"} "
	    "0\n"));
	assert_non_null(strstr(r.body, "xbrg_http_requests_total{route="
	    "\"validate\",status=\"200\"}"));
	gw_resp_free(&r);

	/* Signatures: detached (content given) and attached. */
	check_cms("foreign-a/sig-detached.der", "foreign-a/content.txt", 0,
	    "recognized");
	check_cms("foreign-a/sig-detached.der", "foreign-a/content.txt", 1,
	    "invalid");
	check_cms("foreign-a/sig-attached.der", NULL, 0, "recognized");
	/* A detached signature without its content is a request error. */
	o = json_pack("{s:o, s:s}", "cms",
	    b64_file("foreign-a/sig-detached.der"), "at", AT);
	assert_int_equal(gw_http_json(&srv, NULL, "POST", "/v1/validate", o,
	    &r), 0);
	json_decref(o);
	expect(&r, 400, "detached signature without content");
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"),
	    "content");
	gw_resp_free(&r);
	/* One status per code: a bad time is 422 wherever it comes. */
	assert_int_equal(gw_http(&srv, NULL, "GET", "/v1/recognitions?at=bad",
	    NULL, NULL, 0, &r), 0);
	expect(&r, 422, "bad time in a query");
	gw_resp_free(&r);

	/* The answer names the decision, the chain and the source. */
	o = validate("foreign-a/chain.pem", "e-invoicing", 1, 200);
	assert_string_equal(jstr(o, "decision"), did);
	assert_int_equal(json_array_size(json_object_get(o, "chain")), 3);
	body = json_dumps(json_object_get(o, "revocation"), 0);
	assert_non_null(body);
	assert_non_null(strstr(body, "supplied"));
	free(body);
	json_decref(o);

	/* Suspension and reinstatement, then revocation. */
	json_decref(review("reviewer-a", "suspend", 200));
	check_verdict("foreign-a/chain.pem", "e-invoicing", 1,
	    "not-recognized", NULL);
	json_decref(review("reviewer-b", "reinstate", 200));
	check_verdict("foreign-a/chain.pem", "e-invoicing", 1, "recognized",
	    NULL);
	json_decref(review("reviewer-b", "revoke", 200));
	check_verdict("foreign-a/chain.pem", "e-invoicing", 1,
	    "not-recognized", NULL);
	json_decref(review("reviewer-a", "reinstate", 409));
	assert_string_equal(dossier_status(), "revoked");
}

static void
test_validate_bad_inputs(void **state)
{
	static const struct {
		const char	*body;
		long		 status;
		const char	*field;
	} rows[] = {
		{ "{\"chain\": [\"not a certificate\"]}", 422, "chain[0]" },
		{ "{\"chain\": []}", 422, "chain" },
		{ "{\"chain\": 5}", 400, "chain" },
		{ "{\"chain\": [\"x\"], \"at\": \"yesterday\"}", 422, "at" },
		{ "{}", 400, "chain" },
		{ "{\"chain\": [\"x\"], \"cms\": \"AAAA\"}", 400, "cms" },
		{ "{\"chain\": [\"x\"], \"extra\": 1}", 400, "extra" },
		{ "{\"chain\": [\"x\"], \"chain\": [\"y\"]}", 400, NULL },
		{ "{\"cms\": \"!!!\"}", 422, "cms" },
		{ "{\"cms\": \"AAAA\"}", 422, "cms" },
		{ "{\"chain\": [\"x\"], \"crls\": [\"!!\"]}", 422, "crls" },
		{ "nonsense", 400, NULL },
	};
	struct gw_resp	 r;
	json_t		*f;
	size_t		 i;

	NEED_SERVER();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(gw_http(&srv, NULL, "POST", "/v1/validate",
		    "application/json", rows[i].body, strlen(rows[i].body),
		    &r), 0);
		expect(&r, rows[i].status, rows[i].body);
		f = json_object_get(json_object_get(r.json, "error"), "field");
		if (rows[i].field != NULL &&
		    strcmp(json_string_value(f) ? json_string_value(f) : "",
		    rows[i].field) != 0)
			fail_msg("row %zu: field %s, want %s: %s", i,
			    json_string_value(f), rows[i].field, r.body);
		gw_resp_free(&r);
	}
	/* Cached supplied data is keyed by an unambiguous encoding: these
	 * two bodies once hashed alike, and the second reused the first's
	 * parsed set instead of refusing "ocsp" as a CRL. */
	{
		const long	 want[] = { 200, 422 };
		json_t		*leaf, *crl;
		char		*pem, *ls, *cs, body[16384];
		size_t		 k, plen;

		pem = pki_file("foreign-a/chain.pem", &plen);
		assert_non_null(pem);
		leaf = json_string(pem);
		free(pem);
		crl = b64_file("foreign-a/int.crl.der");
		ls = json_dumps(leaf, JSON_ENCODE_ANY);
		cs = json_dumps(crl, JSON_ENCODE_ANY);
		for (k = 0; k < 2; k++) {
			if (k == 0)
				snprintf(body, sizeof(body), "{\"chain\": [%s], "
				    "\"crls\": [%s], \"ocsp\": []}", ls, cs);
			else
				snprintf(body, sizeof(body), "{\"chain\": [%s], "
				    "\"crls\": [%s, \"ocsp\"]}", ls, cs);
			assert_int_equal(gw_http(&srv, NULL, "POST",
			    "/v1/validate", "application/json", body,
			    strlen(body), &r), 0);
			expect(&r, want[k], body);
			gw_resp_free(&r);
		}
		free(ls);
		free(cs);
		json_decref(leaf);
		json_decref(crl);
	}
	/* The same decoder, and so the same code, as the other routes. */
	assert_int_equal(gw_http(&srv, NULL, "POST", "/v1/validate",
	    "application/json", "{\"at\": \"x\", \"at\": \"y\"}", 22, &r), 0);
	expect(&r, 400, "duplicate key");
	assert_string_equal(gw_resp_error_code(&r), "json-duplicate-key");
	gw_resp_free(&r);
}

static void
test_complaints(void **state)
{
	struct gw_resp	 r;
	json_t		*b;
	const char	*cid;
	char		 id[64];

	NEED_SERVER();
	if (dossier_a[0] == '\0')
		skip();
	b = json_pack("{s:s, s:s, s:s}", "dossier", dossier_a, "complainant",
	    "A relying party", "text", "Signatures were refused at customs.");
	assert_int_equal(gw_http_json(&srv, NULL, "POST", "/v1/complaints", b,
	    &r), 0);
	json_decref(b);
	expect(&r, 201, "complaint");
	cid = jstr(r.json, "id");
	snprintf(id, sizeof(id), "%s", cid);
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "reviewer-b", "GET", "/v1/complaints",
	    NULL, NULL, 0, &r), 0);
	expect(&r, 200, "complaints for reviewers");
	assert_non_null(strstr(r.body, id));
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "submitter-a", "GET", "/v1/complaints",
	    NULL, NULL, 0, &r), 0);
	expect(&r, 403, "complaints for submitters");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, NULL, "POST", "/v1/complaints",
	    "application/json", "{\"text\": 5}", 11, &r), 0);
	assert_true(r.status == 400 || r.status == 422);
	gw_resp_free(&r);
}

/* Rejection (a decision only the tenant and MIIT see) and withdrawal. */
static void
test_reject_and_withdraw(void **state)
{
	static const struct {
		const char	*who;	/* who acts */
		const char	*action;
		long		 status;
		const char	*after;	/* dossier status then */
	} rows[] = {
		{ "submitter-b", "approve", 403, "submitted" },
		{ "reviewer-a", "reinstate", 409, "submitted" },
		{ "reviewer-a", "reject", 200, "rejected" },
		{ "reviewer-b", "approve", 409, "rejected" },
		{ "submitter-b", "withdraw", 409, "rejected" },
	};
	struct gw_resp	 r;
	json_t		*b;
	char		*body, path[160], id[64], did[64], saved[64];
	size_t		 len, i;

	NEED_SERVER();
	snprintf(saved, sizeof(saved), "%s", dossier_a);
	body = pki_file("dossier-b.json", &len);
	assert_non_null(body);
	assert_int_equal(gw_http(&srv, "submitter-b", "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	free(body);
	expect(&r, 201, "submit b");
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	gw_resp_free(&r);
	/* review() acts on dossier_a: point it at this one. */
	snprintf(dossier_a, sizeof(dossier_a), "%s", id);
	did[0] = '\0';
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		b = review(rows[i].who, rows[i].action, rows[i].status);
		if (strcmp(rows[i].action, "reject") == 0)
			snprintf(did, sizeof(did), "%s", jstr(json_object_get(
			    b, "decision"), "id"));
		json_decref(b);
		assert_string_equal(dossier_status(), rows[i].after);
	}
	/* The rejection is signed but not published. */
	assert_true(strlen(did) > 4);
	snprintf(path, sizeof(path), "/v1/decisions/%s", did);
	assert_int_equal(gw_http(&srv, NULL, "GET", path, NULL, NULL, 0, &r),
	    0);
	expect(&r, 404, "rejection, public");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "reviewer-b", "GET", path, NULL, NULL,
	    0, &r), 0);
	expect(&r, 200, "rejection, reviewer");
	assert_string_equal(jstr(r.json, "action"), "reject");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "submitter-b", "GET", path, NULL, NULL,
	    0, &r), 0);
	expect(&r, 200, "rejection, its tenant");
	gw_resp_free(&r);
	assert_int_equal(gw_http(&srv, "submitter-a", "GET", path, NULL, NULL,
	    0, &r), 0);
	expect(&r, 404, "rejection, another tenant");
	gw_resp_free(&r);

	/* A submitter withdraws its own application. */
	body = pki_file("dossier-b.json", &len);
	assert_non_null(body);
	assert_int_equal(gw_http(&srv, "submitter-b", "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	free(body);
	expect(&r, 201, "submit b again");
	snprintf(dossier_a, sizeof(dossier_a), "%s", jstr(r.json, "id"));
	gw_resp_free(&r);
	json_decref(review("submitter-a", "withdraw", 404));
	json_decref(review("submitter-b", "withdraw", 200));
	assert_string_equal(dossier_status(), "withdrawn");
	snprintf(dossier_a, sizeof(dossier_a), "%s", saved);
}

/* An acknowledged submission survives kill -9 of the server. */
static void
test_durability(void **state)
{
	struct gw_resp	 r;
	char		*body, path[128], id[64];
	size_t		 len;

	NEED_SERVER();
	body = pki_file("dossier-b.json", &len);
	assert_non_null(body);
	assert_int_equal(gw_http(&srv, "submitter-b", "POST", "/v1/dossiers",
	    "application/json", body, len, &r), 0);
	free(body);
	expect(&r, 201, "submit b");
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	gw_resp_free(&r);
	gw_testsrv_kill9(&srv);
	assert_int_equal(gw_testsrv_restart(&srv), 0);
	snprintf(path, sizeof(path), "/v1/dossiers/%s", id);
	assert_int_equal(gw_http(&srv, "submitter-b", "GET", path, NULL, NULL,
	    0, &r), 0);
	expect(&r, 200, "after kill -9");
	assert_string_equal(jstr(r.json, "id"), id);
	gw_resp_free(&r);
	/* And the history before it. */
	if (dossier_a[0] != '\0') {
		snprintf(path, sizeof(path), "/v1/dossiers/%s", dossier_a);
		assert_int_equal(gw_http(&srv, "reviewer-a", "GET", path, NULL,
		    NULL, 0, &r), 0);
		expect(&r, 200, "dossier a after kill -9");
		gw_resp_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_and_isolation),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_lifecycle_and_decisions),
		cmocka_unit_test(test_validate_bad_inputs),
		cmocka_unit_test(test_validate_sm2_cms),
		cmocka_unit_test(test_validate_forged_root),
		cmocka_unit_test(test_complaints),
		cmocka_unit_test(test_reject_and_withdraw),
		cmocka_unit_test(test_durability),
	};
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!gw_testsrv_available())
		fprintf(stderr, "test_http_api: $XBRG or $FIXTURES/http "
		    "missing: skipping\n");
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
