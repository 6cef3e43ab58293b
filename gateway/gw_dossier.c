/*
 * gw_dossier.c: decoding of the dossier a foreign CA submits (the JSON
 * shape is in README.md, "Dossiers, review and audit").
 *
 * Strict: duplicate keys, unknown members (named by their path, e.g.
 * "qualifications.audits[0].sah256"), wrong types, over-long strings and
 * over-full arrays are refused with the member's path as the error field.
 * Scenarios and certificate types must come from the policy's
 * vocabulary.  PEM strings must hold exactly one certificate each.
 * Members that are not needed to decode (registration id, audits, staff,
 * ...) may be absent: the completeness check reports them as findings.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_jdec.h"

void
gw_dossier_free(struct gw_dossier *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	free(d->legal_name);
	free(d->country);
	free(d->registration_id);
	free(d->supervisory_body);
	free(d->accreditation);
	for (i = 0; i < d->naudits; i++) {
		free(d->audits[i].kind);
		free(d->audits[i].issuer);
		free(d->audits[i].date);
		free(d->audits[i].sha256);
	}
	free(d->audits);
	gw_strv_free(d->types);
	gw_strv_free(d->standards);
	gw_strv_free(d->scenarios);
	gw_strv_free(d->key_algorithms);
	val_certs_free(&d->ca_chain);
	val_certs_free(&d->samples);
	free(d->tl_territory);
	free(d->tl_service_name);
	free(d);
}

static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	return (*out = strdup(s)) == NULL ? -1 : 0;
}

static int
oom(struct gw_svc_err *e)
{
	gw_svc_seterr(e, GW_SVC_INTERNAL, "out-of-memory", NULL,
	    "out of memory");
	return -1;
}

static int
bad(struct gw_svc_err *e, const char *path, const char *key, const char *what)
{
	char	 f[GW_MAX_FIELD];

	gw_jdec_field(f, sizeof(f), path, key);
	gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", f, "'%s' %s", f,
	    what);
	return -1;
}

/* Two upper-case letters (ISO 3166-1 alpha-2; "EL" and "UK" as in the
 * EU trust lists are accepted too). */
static int
country_ok(const char *s)
{
	return strlen(s) == 2 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]);
}

static int
hex64_ok(const char *s)
{
	size_t	 i;

	if (strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}

static int
decode_applicant(struct gw_dossier *d, const json_t *root,
    struct gw_svc_err *e)
{
	static const char *const keys[] = { "legal_name", "country",
	    "registration_id", "supervisory_body", NULL };
	const json_t	*o;
	const char	*name, *country, *reg, *sup;

	if (gw_jdec_obj(root, "", "applicant", 1, &o, e) != 0 ||
	    gw_jdec_keys(o, "applicant", keys, e) != 0 ||
	    gw_jdec_str(o, "applicant", "legal_name", 1, GW_MAX_NAME, 0,
	    &name, e) != 0 ||
	    gw_jdec_str(o, "applicant", "country", 1, 2, 0, &country, e) != 0 ||
	    gw_jdec_str(o, "applicant", "registration_id", 0, GW_MAX_SHORT, 0,
	    &reg, e) != 0 ||
	    gw_jdec_str(o, "applicant", "supervisory_body", 0, GW_MAX_NAME, 0,
	    &sup, e) != 0)
		return -1;
	if (!country_ok(country))
		return bad(e, "applicant", "country",
		    "must be an ISO 3166 code such as \"DE\"");
	if (dup_opt(name, &d->legal_name) || dup_opt(country, &d->country) ||
	    dup_opt(reg, &d->registration_id) ||
	    dup_opt(sup, &d->supervisory_body))
		return oom(e);
	return 0;
}

static int
decode_audits(struct gw_dossier *d, const json_t *q, struct gw_svc_err *e)
{
	static const char *const keys[] = { "kind", "issuer", "date",
	    "sha256", NULL };
	const json_t		*arr, *o;
	const char		*kind, *issuer, *date, *sha;
	struct gw_audit_report	*a;
	char			 f[GW_MAX_FIELD];
	size_t			 i;

	if (gw_jdec_arr(q, "qualifications", "audits", 0, 0, GW_MAX_AUDITS,
	    &arr, e) != 0)
		return -1;
	if (arr == NULL || json_array_size(arr) == 0)
		return 0;
	if ((d->audits = calloc(json_array_size(arr),
	    sizeof(*d->audits))) == NULL)
		return oom(e);
	json_array_foreach(arr, i, o) {
		gw_jdec_index(f, sizeof(f), "qualifications.audits", i);
		if (!json_is_object(o)) {
			gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "wrong-type", f,
			    "'%s' must be an object", f);
			return -1;
		}
		if (gw_jdec_keys(o, f, keys, e) != 0 ||
		    gw_jdec_str(o, f, "kind", 1, GW_MAX_SHORT, 0, &kind,
		    e) != 0 ||
		    gw_jdec_str(o, f, "issuer", 1, GW_MAX_NAME, 0, &issuer,
		    e) != 0 ||
		    gw_jdec_str(o, f, "date", 1, 10, 0, &date, e) != 0 ||
		    gw_jdec_str(o, f, "sha256", 1, 64, 0, &sha, e) != 0)
			return -1;
		if (!gw_jdec_date_ok(date))
			return bad(e, f, "date", "must be a YYYY-MM-DD date");
		if (!hex64_ok(sha))
			return bad(e, f, "sha256",
			    "must be 64 lower-case hex digits");
		a = &d->audits[i];
		d->naudits++;
		if (dup_opt(kind, &a->kind) || dup_opt(issuer, &a->issuer) ||
		    dup_opt(date, &a->date) || dup_opt(sha, &a->sha256))
			return oom(e);
	}
	return 0;
}

static int
decode_qualifications(struct gw_dossier *d, const json_t *root,
    struct gw_svc_err *e)
{
	static const char *const keys[] = { "accreditation", "audits",
	    "registered_capital", "technical_staff", NULL };
	static const char *const ckeys[] = { "amount", "currency", NULL };
	const json_t	*q, *cap, *amount;
	const char	*acc, *cur;
	char		 f[GW_MAX_FIELD];
	long long	 staff;
	int		 present;

	if (gw_jdec_obj(root, "", "qualifications", 0, &q, e) != 0)
		return -1;
	if (q == NULL)
		return 0;
	d->has_qualifications = 1;
	if (gw_jdec_keys(q, "qualifications", keys, e) != 0 ||
	    gw_jdec_str(q, "qualifications", "accreditation", 0, GW_MAX_NAME,
	    0, &acc, e) != 0 || decode_audits(d, q, e) != 0 ||
	    gw_jdec_int(q, "qualifications", "technical_staff", 0, 0,
	    GW_MAX_STAFF, &staff, &present, e) != 0 ||
	    gw_jdec_obj(q, "qualifications", "registered_capital", 0, &cap,
	    e) != 0)
		return -1;
	if (dup_opt(acc, &d->accreditation) != 0)
		return oom(e);
	d->has_staff = present;
	d->staff = present ? staff : 0;
	if (cap == NULL)
		return 0;
	if (gw_jdec_keys(cap, "qualifications.registered_capital", ckeys,
	    e) != 0 ||
	    gw_jdec_str(cap, "qualifications.registered_capital", "currency",
	    1, 3, 0, &cur, e) != 0)
		return -1;
	snprintf(f, sizeof(f), "qualifications.registered_capital.amount");
	if ((amount = json_object_get(cap, "amount")) == NULL) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "missing-field", f,
		    "'%s' is required", f);
		return -1;
	}
	if (!json_is_number(amount)) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "wrong-type", f,
		    "'%s' must be a number", f);
		return -1;
	}
	if (json_number_value(amount) < 0 ||
	    json_number_value(amount) > (double)GW_MAX_CAPITAL) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "out-of-range", f,
		    "'%s' must be between 0 and %lld", f, GW_MAX_CAPITAL);
		return -1;
	}
	if (strlen(cur) != 3 || !isupper((unsigned char)cur[0]) ||
	    !isupper((unsigned char)cur[1]) || !isupper((unsigned char)cur[2]))
		return bad(e, "qualifications.registered_capital", "currency",
		    "must be an ISO 4217 code such as \"EUR\"");
	d->has_capital = 1;
	d->capital_amount = json_number_value(amount);
	memcpy(d->currency, cur, 4);
	return 0;
}

/* Each string of the array key is one PEM certificate. */
static int
decode_pems(const json_t *root, const char *key, int required, size_t max,
    struct val_certs *out, struct gw_svc_err *e)
{
	const json_t	*arr, *s;
	const char	*p;
	char		 f[GW_MAX_FIELD], err[256];
	size_t		 i, before;

	if (gw_jdec_arr(root, "", key, required, required ? 1 : 0, max, &arr,
	    e) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, s) {
		gw_jdec_index(f, sizeof(f), key, i);
		if (!json_is_string(s)) {
			gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "wrong-type", f,
			    "'%s' must be a PEM string", f);
			return -1;
		}
		if (json_string_length(s) > GW_MAX_PEM) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "too-long", f,
			    "'%s' is longer than %d bytes", f, GW_MAX_PEM);
			return -1;
		}
		p = json_string_value(s);
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (strncmp(p, "-----BEGIN CERTIFICATE-----", 27) != 0) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-pem", f,
			    "'%s' is not a PEM certificate (-----BEGIN "
			    "CERTIFICATE-----)", f);
			return -1;
		}
		before = out->n;
		if (val_certs_load_mem((const unsigned char *)
		    json_string_value(s), json_string_length(s), f, out, err,
		    sizeof(err)) != 0) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-pem", f,
			    "%s", err);
			return -1;
		}
		if (out->n != before + 1) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-pem", f,
			    "'%s' must hold exactly one certificate (it holds "
			    "%zu)", f, out->n - before);
			return -1;
		}
	}
	return 0;
}

static int
decode_trust_list(struct gw_dossier *d, const json_t *root,
    struct gw_svc_err *e)
{
	static const char *const keys[] = { "territory", "service_name",
	    NULL };
	const json_t	*o;
	const char	*terr, *name;

	if (gw_jdec_obj(root, "", "trust_list", 0, &o, e) != 0)
		return -1;
	if (o == NULL)
		return 0;
	if (gw_jdec_keys(o, "trust_list", keys, e) != 0 ||
	    gw_jdec_str(o, "trust_list", "territory", 1, 2, 0, &terr,
	    e) != 0 ||
	    gw_jdec_str(o, "trust_list", "service_name", 0, GW_MAX_NAME, 0,
	    &name, e) != 0)
		return -1;
	if (!country_ok(terr))
		return bad(e, "trust_list", "territory",
		    "must be a trust-list territory such as \"DE\"");
	d->has_tl = 1;
	if (dup_opt(terr, &d->tl_territory) ||
	    dup_opt(name, &d->tl_service_name))
		return oom(e);
	return 0;
}

static int
key_algorithm_name_ok(const char *s)
{
	static const char *const fixed[] = { "ec-p256", "ec-p384", "ec-p521",
	    "sm2", "ed25519", "ed448", NULL };
	const char	*p;
	size_t		 i;

	for (i = 0; fixed[i] != NULL; i++)
		if (strcmp(s, fixed[i]) == 0)
			return 1;
	if (strncmp(s, "rsa-", 4) != 0 || s[4] == '\0' || s[4] == '0')
		return 0;
	for (p = s + 4; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return strlen(s + 4) <= 5;
}

enum gw_svc_status
gw_dossier_decode(const char *buf, size_t len, const struct gw_policy *pol,
    struct gw_dossier **out, struct gw_svc_err *e)
{
	static const char *const keys[] = { "applicant", "qualifications",
	    "certificate_types", "technical_standards",
	    "application_scenarios", "key_algorithms", "ca_chain",
	    "sample_certificates", "trust_list", NULL };
	struct gw_dossier	*d = NULL;
	json_t			*root = NULL;
	char			 f[GW_MAX_FIELD];
	size_t			 i;

	*out = NULL;
	if (len > GW_MAX_DOSSIER_BYTES) {
		gw_svc_seterr(e, GW_SVC_TOO_LARGE, "too-large", NULL,
		    "the dossier is larger than %d bytes",
		    GW_MAX_DOSSIER_BYTES);
		goto fail;
	}
	if ((root = gw_jdec_parse(buf, len, e)) == NULL)
		goto fail;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		oom(e);
		goto fail;
	}
	if (gw_jdec_keys(root, "", keys, e) != 0 ||
	    decode_applicant(d, root, e) != 0 ||
	    decode_qualifications(d, root, e) != 0 ||
	    gw_jdec_strv(root, "", "certificate_types", 1, 1, GW_MAX_TYPES,
	    GW_MAX_SHORT, &d->types, &d->ntypes, e) != 0 ||
	    gw_jdec_strv(root, "", "technical_standards", 0, 0,
	    GW_MAX_STANDARDS, GW_MAX_SHORT, &d->standards, &d->nstandards,
	    e) != 0 ||
	    gw_jdec_strv(root, "", "application_scenarios", 1, 1,
	    GW_MAX_SCENARIOS, GW_MAX_SHORT, &d->scenarios, &d->nscenarios,
	    e) != 0 ||
	    gw_jdec_strv(root, "", "key_algorithms", 0, 1, GW_MAX_TYPES,
	    GW_MAX_SHORT, &d->key_algorithms, &d->nkey_algorithms, e) != 0)
		goto fail;
	for (i = 0; i < d->ntypes; i++)
		if (!gw_policy_type_ok(pol, d->types[i])) {
			gw_jdec_index(f, sizeof(f), "certificate_types", i);
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "unknown-type",
			    f, "'%s' is not a certificate type of the policy",
			    d->types[i]);
			goto fail;
		}
	for (i = 0; i < d->nscenarios; i++)
		if (!gw_policy_scenario_ok(pol, d->scenarios[i])) {
			gw_jdec_index(f, sizeof(f), "application_scenarios", i);
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE,
			    "unknown-scenario", f, "'%s' is not a scenario of "
			    "the policy", d->scenarios[i]);
			goto fail;
		}
	for (i = 0; i < d->nkey_algorithms; i++)
		if (!key_algorithm_name_ok(d->key_algorithms[i])) {
			gw_jdec_index(f, sizeof(f), "key_algorithms", i);
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", f,
			    "'%s' is not a key algorithm name (rsa-2048, "
			    "ec-p256, sm2, ed25519, ...)", d->key_algorithms[i]);
			goto fail;
		}
	if (decode_pems(root, "ca_chain", 1, GW_MAX_CA_CHAIN, &d->ca_chain,
	    e) != 0 ||
	    decode_pems(root, "sample_certificates", 0, GW_MAX_SAMPLES,
	    &d->samples, e) != 0 ||
	    decode_trust_list(d, root, e) != 0)
		goto fail;
	json_decref(root);
	*out = d;
	return GW_SVC_OK;
 fail:
	json_decref(root);
	gw_dossier_free(d);
	return e->status;
}

static void
print_strv(FILE *fp, const char *name, char *const *v, size_t n)
{
	size_t	 i;

	fprintf(fp, "%s:", name);
	for (i = 0; i < n; i++)
		fprintf(fp, " \"%s\"", v[i]);
	fprintf(fp, "\n");
}

static void
print_certs(FILE *fp, const char *name, const struct val_certs *cs)
{
	char	 nb[VAL_TIME_LEN], na[VAL_TIME_LEN], subj[512], *t8;
	time_t	 t;
	size_t	 i;

	fprintf(fp, "%s: %zu\n", name, cs->n);
	for (i = 0; i < cs->n; i++) {
		t8 = val_name_text(X509_get_subject_name(cs->v[i].x509));
		snprintf(subj, sizeof(subj), "%s", t8 != NULL ? t8 : "?");
		free(t8);
		snprintf(nb, sizeof(nb), "?");
		snprintf(na, sizeof(na), "?");
		if (val_asn1_time(X509_get0_notBefore(cs->v[i].x509), &t) == 0)
			val_time_format(t, nb);
		if (val_asn1_time(X509_get0_notAfter(cs->v[i].x509), &t) == 0)
			val_time_format(t, na);
		fprintf(fp, "  [%zu] %s\n      %s .. %s, %s\n", i, subj, nb,
		    na, gw_cert_type(cs->v[i].x509));
	}
}

#define OPT(s)	((s) != NULL ? (s) : "-")

void
gw_dossier_print(FILE *fp, const struct gw_dossier *d)
{
	size_t	 i;

	if (d == NULL) {
		fprintf(fp, "(null)\n");
		return;
	}
	fprintf(fp, "applicant: %s (%s)\n", d->legal_name, d->country);
	fprintf(fp, "registration_id: %s\n", OPT(d->registration_id));
	fprintf(fp, "supervisory_body: %s\n", OPT(d->supervisory_body));
	fprintf(fp, "qualifications: %s\n", d->has_qualifications ? "yes" :
	    "no");
	fprintf(fp, "accreditation: %s\n", OPT(d->accreditation));
	fprintf(fp, "audits: %zu\n", d->naudits);
	for (i = 0; i < d->naudits; i++)
		fprintf(fp, "  [%zu] %s by %s on %s sha256 %s\n", i,
		    d->audits[i].kind, d->audits[i].issuer, d->audits[i].date,
		    d->audits[i].sha256);
	if (d->has_capital)
		fprintf(fp, "registered_capital: %.2f %s\n", d->capital_amount,
		    d->currency);
	else
		fprintf(fp, "registered_capital: -\n");
	if (d->has_staff)
		fprintf(fp, "technical_staff: %lld\n", d->staff);
	else
		fprintf(fp, "technical_staff: -\n");
	print_strv(fp, "certificate_types", d->types, d->ntypes);
	print_strv(fp, "technical_standards", d->standards, d->nstandards);
	print_strv(fp, "application_scenarios", d->scenarios, d->nscenarios);
	print_strv(fp, "key_algorithms", d->key_algorithms,
	    d->nkey_algorithms);
	print_certs(fp, "ca_chain", &d->ca_chain);
	print_certs(fp, "sample_certificates", &d->samples);
	if (d->has_tl)
		fprintf(fp, "trust_list: %s, %s\n", d->tl_territory,
		    OPT(d->tl_service_name));
	else
		fprintf(fp, "trust_list: -\n");
}
