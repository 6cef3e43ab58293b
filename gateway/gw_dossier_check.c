/*
 * gw_dossier_check.c: the automated checks run on every dossier when it
 * is submitted or amended.  Pure: the dossier, the policy, the profiles,
 * the verified trust lists and the time are parameters; findings come
 * out.  Reviewers see every finding; none of them decides by itself.
 *
 * Checks, in order:
 *  1. completeness: members the Measures ask for but decoding does not
 *     need (DOSSIER-MISSING, one per member; DOSSIER-TL-NONE-DECLARED);
 *  2. qualifications: audit report dates (DOSSIER-AUDIT-FUTURE,
 *     DOSSIER-AUDIT-STALE), registered capital converted to CNY with the
 *     policy's rates and technical staff against the policy's thresholds
 *     (DOSSIER-CAPITAL-LOW, DOSSIER-CAPITAL-NO-RATE, DOSSIER-STAFF-LOW:
 *     warnings, never errors);
 *  3. the CA chain: the last ca_chain certificate must be a self-signed
 *     root (DOSSIER-CHAIN-NO-ROOT), every ca_chain certificate a CA
 *     (DOSSIER-CHAIN-NOT-CA); every ca_chain certificate and every sample
 *     is path-validated to that root at the time (val_chain_check, its
 *     CHAIN-* findings kept with where prefixed by the member, plus
 *     DOSSIER-CHAIN-INVALID on the member); no revocation data is
 *     supplied with a dossier, so CHAIN-REV-UNCHECKED appears as info;
 *  4. linting of every certificate with each profile of the policy
 *     (val_cert_check; its findings kept as they are);
 *  5. declared vs shown: key algorithms and sizes (DOSSIER-KEY-WEAK,
 *     DOSSIER-KEY-UNKNOWN, DOSSIER-KEY-UNDECLARED, DOSSIER-KEY-UNUSED),
 *     certificate types of the samples (gw_cert_type(): DOSSIER-TYPE-
 *     UNDECLARED, DOSSIER-TYPE-NO-SAMPLE, DOSSIER-SAMPLE-IS-CA) and the
 *     CA's subject country (DOSSIER-COUNTRY-MISMATCH);
 *  6. the home trust list: the ca_chain certificates are looked up in the
 *     verified lists (tl_status) and the best match reported
 *     (DOSSIER-TL-GRANTED, DOSSIER-TL-NOT-GRANTED, DOSSIER-TL-NOT-LISTED,
 *     DOSSIER-TL-TERRITORY, DOSSIER-TL-SERVICE-NAME, DOSSIER-TL-WEAK-MATCH,
 *     DOSSIER-TL-UNCHECKED).
 *
 * Known gaps: technical_standards are free text and not compared with
 * the certificates; audit report hashes are recorded, not fetched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#include "gw_jdec.h"
#include "tl.h"

#define CITE_MEASURES	"MIIT Electronic Certification Service " \
			"Management Measures (2024 draft): recognition of " \
			"foreign CAs, application materials"
#define CITE_DOMESTIC	"MIIT Electronic Certification Service " \
			"Management Measures (2024 draft): domestic " \
			"conditions, applied as policy thresholds"

static const struct val_rule rules[] = {
	{ "DOSSIER-MISSING", VAL_WARN, CITE_MEASURES,
	    "a member the Measures ask for is missing" },
	{ "DOSSIER-AUDIT-FUTURE", VAL_ERROR, CITE_MEASURES,
	    "audit report dated after the check time" },
	{ "DOSSIER-AUDIT-STALE", VAL_WARN, CITE_MEASURES,
	    "audit report older than the policy's maximum age" },
	{ "DOSSIER-CAPITAL-LOW", VAL_WARN, CITE_DOMESTIC,
	    "registered capital below the policy threshold" },
	{ "DOSSIER-CAPITAL-NO-RATE", VAL_WARN, CITE_DOMESTIC,
	    "no exchange rate for the registered capital's currency" },
	{ "DOSSIER-STAFF-LOW", VAL_WARN, CITE_DOMESTIC,
	    "fewer technical staff than the policy threshold" },
	{ "DOSSIER-CHAIN-NO-ROOT", VAL_ERROR, "RFC 5280 6.1.1(d)",
	    "the last ca_chain certificate is not a self-signed root" },
	{ "DOSSIER-CHAIN-NOT-CA", VAL_ERROR, "RFC 5280 4.2.1.9",
	    "a ca_chain certificate is not a CA certificate" },
	{ "DOSSIER-CHAIN-INVALID", VAL_ERROR, "RFC 5280 6.1",
	    "a certificate does not validate to the dossier's root" },
	{ "DOSSIER-SAMPLE-IS-CA", VAL_ERROR, CITE_MEASURES,
	    "a sample certificate is a CA certificate" },
	{ "DOSSIER-KEY-WEAK", VAL_ERROR, "NIST SP 800-131A r2; xbrg policy",
	    "key smaller than the policy's minimum" },
	{ "DOSSIER-KEY-UNKNOWN", VAL_WARN, "xbrg policy",
	    "key algorithm not recognised" },
	{ "DOSSIER-KEY-UNDECLARED", VAL_WARN, CITE_MEASURES,
	    "a certificate's key algorithm is not among key_algorithms" },
	{ "DOSSIER-KEY-UNUSED", VAL_INFO, CITE_MEASURES,
	    "a declared key algorithm is used by no certificate" },
	{ "DOSSIER-TYPE-UNDECLARED", VAL_WARN, "ETSI EN 319 412-5 4.2",
	    "a sample's certificate type is not among certificate_types" },
	{ "DOSSIER-TYPE-NO-SAMPLE", VAL_WARN, "ETSI EN 319 412-5 4.2",
	    "no sample certificate shows a declared certificate type" },
	{ "DOSSIER-COUNTRY-MISMATCH", VAL_WARN, "RFC 5280 4.1.2.6; X.520",
	    "the CA's subject country differs from the applicant's" },
	{ "DOSSIER-TL-UNCHECKED", VAL_WARN, "ETSI TS 119 612 5.5",
	    "no verified trust lists were available for the check" },
	{ "DOSSIER-TL-NONE-DECLARED", VAL_INFO, "ETSI TS 119 612 5.5",
	    "no home trust-list entry was declared" },
	{ "DOSSIER-TL-NOT-LISTED", VAL_WARN, "ETSI TS 119 612 5.5.3",
	    "no CA certificate of the chain is in a verified trust list" },
	{ "DOSSIER-TL-GRANTED", VAL_INFO, "ETSI TS 119 612 5.5.4",
	    "the CA's service is granted in a verified trust list" },
	{ "DOSSIER-TL-NOT-GRANTED", VAL_ERROR, "ETSI TS 119 612 5.5.4",
	    "the CA's service is not granted in its trust list" },
	{ "DOSSIER-TL-TERRITORY", VAL_WARN, "ETSI TS 119 612 5.3.10",
	    "the CA is listed in another territory than declared" },
	{ "DOSSIER-TL-WEAK-MATCH", VAL_INFO, "ETSI TS 119 612 5.5.3",
	    "the CA matched a service by key identifier or name only" },
	{ "DOSSIER-TL-SERVICE-NAME", VAL_WARN, "ETSI TS 119 612 5.5.2",
	    "the matched service's name differs from the declared one" },
	{ NULL, VAL_INFO, NULL, NULL }
};

const struct val_rule *
gw_dossier_rule(const char *code)
{
	size_t	 i;

	for (i = 0; rules[i].code != NULL; i++)
		if (strcmp(rules[i].code, code) == 0)
			return &rules[i];
	return NULL;
}

const struct val_rule *
gw_dossier_rule_at(size_t i)
{
	return i < sizeof(rules) / sizeof(rules[0]) - 1 ? &rules[i] : NULL;
}

static const struct val_rule *
R(const char *code)
{
	const struct val_rule	*r;

	r = gw_dossier_rule(code);
	if (r == NULL)
		abort();	/* programming error: a code not in rules[] */
	return r;
}

static void
completeness(const struct gw_dossier *d, struct val_report *rep)
{
	const char	*miss[12];
	size_t		 n = 0, i;

	if (d->registration_id == NULL)
		miss[n++] = "applicant.registration_id";
	if (d->supervisory_body == NULL)
		miss[n++] = "applicant.supervisory_body";
	if (!d->has_qualifications)
		miss[n++] = "qualifications";
	else {
		if (d->accreditation == NULL)
			miss[n++] = "qualifications.accreditation";
		if (d->naudits == 0)
			miss[n++] = "qualifications.audits";
		if (!d->has_capital)
			miss[n++] = "qualifications.registered_capital";
		if (!d->has_staff)
			miss[n++] = "qualifications.technical_staff";
	}
	if (d->nstandards == 0)
		miss[n++] = "technical_standards";
	if (d->nkey_algorithms == 0)
		miss[n++] = "key_algorithms";
	if (d->samples.n == 0)
		miss[n++] = "sample_certificates";
	for (i = 0; i < n; i++)
		val_report_add(rep, R("DOSSIER-MISSING"), miss[i], NULL);
	if (!d->has_tl)
		val_report_add(rep, R("DOSSIER-TL-NONE-DECLARED"),
		    "trust_list", NULL);
}

static void
qualifications(const struct gw_dossier *d, const struct gw_policy *pol,
    time_t now, struct val_report *rep)
{
	char	 where[64], buf[32];
	time_t	 t;
	double	 rate, cny;
	size_t	 i;

	for (i = 0; i < d->naudits; i++) {
		snprintf(where, sizeof(where), "qualifications.audits[%zu].date",
		    i);
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", d->audits[i].date);
		if (val_time_parse(buf, &t) != 0)
			continue;	/* decoding checked it */
		if (t > now)
			val_report_add(rep, R("DOSSIER-AUDIT-FUTURE"), where,
			    "%s", d->audits[i].date);
		else if ((now - t) / 86400 > pol->audit_max_age_days)
			val_report_add(rep, R("DOSSIER-AUDIT-STALE"), where,
			    "%s is more than %lld days old", d->audits[i].date,
			    pol->audit_max_age_days);
	}
	if (d->has_capital) {
		if (gw_policy_rate(pol, d->currency, &rate) != 0)
			val_report_add(rep, R("DOSSIER-CAPITAL-NO-RATE"),
			    "qualifications.registered_capital.currency",
			    "%s (rates of %s)", d->currency, pol->rates_date);
		else {
			cny = d->capital_amount * rate;
			if (cny < pol->min_capital_cny)
				val_report_add(rep, R("DOSSIER-CAPITAL-LOW"),
				    "qualifications.registered_capital",
				    "%.0f %s = %.0f CNY at %g (rates of %s), "
				    "threshold %.0f CNY", d->capital_amount,
				    d->currency, cny, rate, pol->rates_date,
				    pol->min_capital_cny);
		}
	}
	if (d->has_staff && d->staff < pol->min_staff)
		val_report_add(rep, R("DOSSIER-STAFF-LOW"),
		    "qualifications.technical_staff", "%lld, threshold %lld",
		    d->staff, pol->min_staff);
}

/* Prefixes where of findings [from, rep->n) with "pfx: ". */
static void
prefix_where(struct val_report *rep, size_t from, const char *pfx)
{
	char	*w;
	size_t	 i, len;

	for (i = from; i < rep->n; i++) {
		if (rep->items[i].where != NULL &&
		    strncmp(rep->items[i].where, pfx, strlen(pfx)) == 0)
			continue;
		len = strlen(pfx) + 3 + (rep->items[i].where ?
		    strlen(rep->items[i].where) : 0);
		if ((w = malloc(len)) == NULL) {
			rep->oom = 1;
			return;
		}
		if (rep->items[i].where != NULL)
			snprintf(w, len, "%s: %s", pfx, rep->items[i].where);
		else
			snprintf(w, len, "%s", pfx);
		free(rep->items[i].where);
		rep->items[i].where = w;
	}
}

static int
is_root(X509 *x)
{
	X509_check_purpose(x, -1, 0);
	return (X509_get_extension_flags(x) & EXFLAG_SS) != 0;
}

static int
validate_one(const struct val_cert *c, const struct val_certs *anchors,
    const struct val_certs *untrusted, int partial, time_t now,
    struct val_report *rep)
{
	struct val_chain_in	 in;
	struct val_report	 sub;
	size_t			 from;
	int			 rc;

	memset(&in, 0, sizeof(in));
	in.leaf = c->x509;
	in.anchors = anchors;
	in.untrusted = untrusted;
	in.at = now;
	in.flags = partial ? VAL_CHAIN_PARTIAL : 0;
	val_report_init(&sub);
	if (val_chain_check(&in, NULL, &sub) != 0) {
		val_report_clear(&sub);
		return -1;
	}
	if (val_report_verdict(&sub) == VAL_VERDICT_FAIL)
		val_report_add(rep, R("DOSSIER-CHAIN-INVALID"), c->where,
		    NULL);
	from = rep->n;
	rc = val_report_move(rep, &sub);
	prefix_where(rep, from, c->where);
	return rc;
}

static int
chains(const struct gw_dossier *d, time_t now, struct val_report *rep)
{
	struct val_certs	 anchors, untrusted;
	const struct val_cert	*root;
	size_t			 i;
	int			 partial, rc = -1;

	if (d->ca_chain.n == 0)
		return 0;
	root = &d->ca_chain.v[d->ca_chain.n - 1];
	partial = !is_root(root->x509);
	if (partial)
		val_report_add(rep, R("DOSSIER-CHAIN-NO-ROOT"), root->where,
		    NULL);
	for (i = 0; i < d->ca_chain.n; i++) {
		X509_check_purpose(d->ca_chain.v[i].x509, -1, 0);
		if (!(X509_get_extension_flags(d->ca_chain.v[i].x509) &
		    EXFLAG_CA))
			val_report_add(rep, R("DOSSIER-CHAIN-NOT-CA"),
			    d->ca_chain.v[i].where, NULL);
	}
	/* Borrowed views: the anchor is the last certificate, the pool the
	 * others. */
	anchors.v = (struct val_cert *)root;
	anchors.n = 1;
	untrusted.v = d->ca_chain.v;
	untrusted.n = d->ca_chain.n - 1;
	for (i = 0; i + 1 < d->ca_chain.n; i++)
		if (validate_one(&d->ca_chain.v[i], &anchors, &untrusted,
		    partial, now, rep) != 0)
			goto out;
	for (i = 0; i < d->samples.n; i++)
		if (validate_one(&d->samples.v[i], &anchors, &untrusted,
		    partial, now, rep) != 0)
			goto out;
	rc = 0;
 out:
	return rc;
}

static int
lint_set(const struct val_certs *cs, const struct gw_check_in *in,
    time_t now, struct val_report *rep)
{
	size_t	 i, j, from;

	for (i = 0; i < cs->n; i++)
		for (j = 0; j < in->nprofiles; j++) {
			from = rep->n;
			if (val_cert_check(&cs->v[i], in->profiles[j], now,
			    rep) != 0)
				return -1;
			prefix_where(rep, from, cs->v[i].where);
		}
	return 0;
}

static void
key_one(const struct val_cert *c, const struct gw_dossier *d,
    const struct gw_policy *pol, int *used, struct val_report *rep)
{
	EVP_PKEY	*k;
	char		 name[64];
	size_t		 i;
	int		 bits;

	if (gw_key_algorithm(c->x509, name, sizeof(name)) != 0) {
		val_report_add(rep, R("DOSSIER-KEY-UNKNOWN"), c->where, "%s",
		    name[0] ? name : "unknown");
		return;
	}
	if ((k = X509_get0_pubkey(c->x509)) != NULL) {
		bits = EVP_PKEY_get_bits(k);
		if (strncmp(name, "rsa-", 4) == 0 && bits < pol->min_rsa_bits)
			val_report_add(rep, R("DOSSIER-KEY-WEAK"), c->where,
			    "RSA %d bits, minimum %lld", bits,
			    pol->min_rsa_bits);
		else if (strncmp(name, "ec-", 3) == 0 &&
		    bits < pol->min_ec_bits)
			val_report_add(rep, R("DOSSIER-KEY-WEAK"), c->where,
			    "EC %d bits, minimum %lld", bits,
			    pol->min_ec_bits);
	}
	if (d->nkey_algorithms == 0)
		return;
	for (i = 0; i < d->nkey_algorithms; i++)
		if (strcmp(d->key_algorithms[i], name) == 0) {
			used[i] = 1;
			return;
		}
	val_report_add(rep, R("DOSSIER-KEY-UNDECLARED"), c->where, "%s", name);
}

static void
declared(const struct gw_dossier *d, const struct gw_policy *pol,
    struct val_report *rep)
{
	int		 used[GW_MAX_TYPES] = { 0 };
	int		 shown[GW_MAX_TYPES] = { 0 };
	const char	*t;
	char		 where[64], c[8];
	X509_NAME	*subj;
	size_t		 i, j;

	for (i = 0; i < d->ca_chain.n; i++)
		key_one(&d->ca_chain.v[i], d, pol, used, rep);
	for (i = 0; i < d->samples.n; i++)
		key_one(&d->samples.v[i], d, pol, used, rep);
	for (i = 0; i < d->nkey_algorithms && i < GW_MAX_TYPES; i++)
		if (!used[i]) {
			snprintf(where, sizeof(where), "key_algorithms[%zu]",
			    i);
			val_report_add(rep, R("DOSSIER-KEY-UNUSED"), where,
			    "%s", d->key_algorithms[i]);
		}
	for (i = 0; i < d->samples.n; i++) {
		t = gw_cert_type(d->samples.v[i].x509);
		if (strcmp(t, "ca") == 0) {
			val_report_add(rep, R("DOSSIER-SAMPLE-IS-CA"),
			    d->samples.v[i].where, NULL);
			continue;
		}
		for (j = 0; j < d->ntypes; j++)
			if (strcmp(d->types[j], t) == 0) {
				shown[j] = 1;
				break;
			}
		if (j == d->ntypes)
			val_report_add(rep, R("DOSSIER-TYPE-UNDECLARED"),
			    d->samples.v[i].where, "%s", t);
	}
	for (j = 0; j < d->ntypes && j < GW_MAX_TYPES; j++)
		if (!shown[j]) {
			snprintf(where, sizeof(where), "certificate_types[%zu]",
			    j);
			val_report_add(rep, R("DOSSIER-TYPE-NO-SAMPLE"), where,
			    "%s", d->types[j]);
		}
	/* The issuing CA's country; trust lists write EL and UK. */
	if (d->ca_chain.n > 0 && (subj = X509_get_subject_name(
	    d->ca_chain.v[0].x509)) != NULL && X509_NAME_get_text_by_NID(subj,
	    NID_countryName, c, sizeof(c)) == 2) {
		int	 same;

		same = strcmp(c, d->country) == 0 ||
		    (strcmp(c, "GR") == 0 && strcmp(d->country, "EL") == 0) ||
		    (strcmp(c, "GB") == 0 && strcmp(d->country, "UK") == 0);
		if (!same)
			val_report_add(rep, R("DOSSIER-COUNTRY-MISMATCH"),
			    d->ca_chain.v[0].where, "certificate %s, "
			    "applicant %s", c, d->country);
	}
}

static int
trust_list(const struct gw_dossier *d, const struct gw_check_in *in,
    time_t now, struct val_report *rep)
{
	struct tl_status_result		 res;
	const struct tl_status_match	*m, *best = NULL;
	const struct val_cert		*bestc = NULL;
	const char			*st;
	size_t				 i, j;
	int				 found = 0, done = 0;

	if (in->tl_lists == NULL) {
		val_report_add(rep, R("DOSSIER-TL-UNCHECKED"), "trust_list",
		    NULL);
		return 0;
	}
	for (i = 0; i < d->ca_chain.n && !done; i++) {
		memset(&res, 0, sizeof(res));
		best = NULL;
		if (tl_status(d->ca_chain.v[i].x509, in->tl_lists,
		    in->ntl_lists, now, &res) != 0)
			return -1;
		for (j = 0; j < res.n; j++) {
			m = &res.v[j];
			found = 1;
			/* Prefer a certificate match, then a granted one. */
			if (best == NULL || (m->granted && !best->granted))
				best = m;
		}
		if (best != NULL) {
			done = 1;
			bestc = &d->ca_chain.v[i];
			st = best->status ? tl_status_short(best->status) :
			    NULL;
			if (best->granted)
				val_report_add(rep, R("DOSSIER-TL-GRANTED"),
				    bestc->where, "%s: %s: %s (%s)",
				    best->list->territory ?
				    best->list->territory : "?",
				    best->tsp->name ? best->tsp->name : "?",
				    best->service->cur.name ?
				    best->service->cur.name : "?",
				    st ? st : "?");
			else
				val_report_add(rep, R("DOSSIER-TL-NOT-GRANTED"),
				    bestc->where, "%s: %s: status %s",
				    best->list->territory ?
				    best->list->territory : "?",
				    best->service->cur.name ?
				    best->service->cur.name : "?",
				    st ? st : (best->status ? best->status :
				    "none at this time"));
			if (best->match != TL_MATCH_CERT)
				val_report_add(rep, R("DOSSIER-TL-WEAK-MATCH"),
				    bestc->where, "%s",
				    tl_match_name(best->match));
			if (d->has_tl && d->tl_service_name != NULL &&
			    best->service->cur.name != NULL &&
			    strcasecmp(best->service->cur.name,
			    d->tl_service_name) != 0)
				val_report_add(rep,
				    R("DOSSIER-TL-SERVICE-NAME"),
				    "trust_list.service_name", "listed as "
				    "'%.200s'", best->service->cur.name);
			if (d->has_tl && best->list->territory != NULL &&
			    strcmp(best->list->territory,
			    d->tl_territory) != 0)
				val_report_add(rep, R("DOSSIER-TL-TERRITORY"),
				    "trust_list.territory", "listed in %s, "
				    "declared %s", best->list->territory,
				    d->tl_territory);
		}
		tl_status_result_free(&res);
	}
	if (!found)
		val_report_add(rep, R("DOSSIER-TL-NOT-LISTED"), "ca_chain",
		    "%zu verified list%s searched", in->ntl_lists,
		    in->ntl_lists == 1 ? "" : "s");
	return 0;
}

int
gw_dossier_check(const struct gw_dossier *d, const struct gw_check_in *in,
    time_t now, struct val_report *rep)
{
	completeness(d, rep);
	qualifications(d, in->policy, now, rep);
	if (chains(d, now, rep) != 0)
		return -1;
	if (lint_set(&d->ca_chain, in, now, rep) != 0 ||
	    lint_set(&d->samples, in, now, rep) != 0)
		return -1;
	declared(d, in->policy, rep);
	if (trust_list(d, in, now, rep) != 0)
		return -1;
	return rep->oom ? -1 : 0;
}
