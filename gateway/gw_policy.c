/*
 * gw_policy.c: the gateway policy, a JSON data file (profiles/policy.json,
 * documented in README.md): which certificate types exist, the scenario
 * vocabulary, the qualification thresholds (default: the Measures'
 * domestic conditions, RMB 70 million registered capital and 60 technical
 * staff), exchange rates with their date, revocation soft-fail, the
 * default recognition validity, whether approval needs passing checks,
 * which lint profiles dossier certificates get, and key size floors.
 * Unknown keys are refused so that a typo cannot silently keep a default.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_jdec.h"

void
gw_policy_free(struct gw_policy *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	gw_strv_free(p->types);
	for (i = 0; i < p->nscenarios; i++) {
		free(p->scenarios[i].id);
		free(p->scenarios[i].text);
	}
	free(p->scenarios);
	free(p->threshold_cite);
	free(p->rates_date);
	free(p->rates);
	gw_strv_free(p->lint_profiles);
	free(p);
}

static int
bool_member(const json_t *o, const char *path, const char *key, int *out,
    struct gw_svc_err *e)
{
	const json_t	*v;
	char		 f[GW_MAX_FIELD];

	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	gw_jdec_field(f, sizeof(f), path, key);
	if (!json_is_boolean(v)) {
		gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "wrong-type", f,
		    "'%s' must be true or false", f);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

static int
currency_ok(const char *s)
{
	return strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]);
}

static int
parse_rates(struct gw_policy *p, const json_t *root, struct gw_svc_err *e)
{
	static const char *const keys[] = { "date", "cny_per_unit", NULL };
	const json_t	*o, *rates, *v;
	const char	*s, *k;
	char		 f[GW_MAX_FIELD];
	size_t		 n = 0;

	if (gw_jdec_obj(root, "", "exchange_rates", 1, &o, e) != 0 ||
	    gw_jdec_keys(o, "exchange_rates", keys, e) != 0 ||
	    gw_jdec_str(o, "exchange_rates", "date", 1, 10, 0, &s, e) != 0 ||
	    gw_jdec_obj(o, "exchange_rates", "cny_per_unit", 1, &rates,
	    e) != 0)
		return -1;
	if (!gw_jdec_date_ok(s)) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value",
		    "exchange_rates.date", "not a YYYY-MM-DD date: '%s'", s);
		return -1;
	}
	if ((p->rates_date = strdup(s)) == NULL)
		return -1;
	if (json_object_size(rates) > GW_MAX_POLICY_ITEMS) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "too-many",
		    "exchange_rates.cny_per_unit", "more than %d rates",
		    GW_MAX_POLICY_ITEMS);
		return -1;
	}
	if ((p->rates = calloc(json_object_size(rates) + 1,
	    sizeof(*p->rates))) == NULL)
		return -1;
	json_object_foreach((json_t *)rates, k, v) {
		gw_jdec_field(f, sizeof(f), "exchange_rates.cny_per_unit", k);
		if (!currency_ok(k)) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", f,
			    "'%s' is not an ISO 4217 code", k);
			return -1;
		}
		if (!json_is_number(v) || json_number_value(v) <= 0) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", f,
			    "'%s' must be a positive number", f);
			return -1;
		}
		memcpy(p->rates[n].currency, k, 4);
		p->rates[n].cny = json_number_value(v);
		n++;
	}
	p->nrates = n;
	return 0;
}

static int
parse_scenarios(struct gw_policy *p, const json_t *root,
    struct gw_svc_err *e)
{
	static const char *const keys[] = { "id", "text", NULL };
	const json_t	*arr, *o;
	const char	*id, *text;
	char		 f[GW_MAX_FIELD];
	size_t		 i, j;

	if (gw_jdec_arr(root, "", "scenarios", 1, 1, GW_MAX_POLICY_ITEMS,
	    &arr, e) != 0)
		return -1;
	if ((p->scenarios = calloc(json_array_size(arr),
	    sizeof(*p->scenarios))) == NULL)
		return -1;
	json_array_foreach(arr, i, o) {
		gw_jdec_index(f, sizeof(f), "scenarios", i);
		if (!json_is_object(o)) {
			gw_svc_seterr(e, GW_SVC_BAD_REQUEST, "wrong-type", f,
			    "'%s' must be an object", f);
			return -1;
		}
		if (gw_jdec_keys(o, f, keys, e) != 0 ||
		    gw_jdec_str(o, f, "id", 1, GW_MAX_SHORT, 0, &id, e) != 0 ||
		    gw_jdec_str(o, f, "text", 0, GW_MAX_NAME, 0, &text,
		    e) != 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(p->scenarios[j].id, id) == 0) {
				gw_svc_seterr(e, GW_SVC_UNPROCESSABLE,
				    "duplicate", f, "scenario '%s' twice", id);
				return -1;
			}
		if ((p->scenarios[i].id = strdup(id)) == NULL ||
		    (p->scenarios[i].text = strdup(text ? text : "")) == NULL)
			return -1;
		p->nscenarios++;
	}
	return 0;
}

static int
parse(struct gw_policy *p, const json_t *root, struct gw_svc_err *e)
{
	static const char *const keys[] = { "policy_version",
	    "certificate_types", "scenarios", "thresholds", "exchange_rates",
	    "revocation", "recognition", "review", "lint_profiles",
	    "audit_report_max_age_days", "min_rsa_bits", "min_ec_bits",
	    "comment", NULL };
	static const char *const tkeys[] = { "registered_capital_cny",
	    "technical_staff", "cite", NULL };
	static const char *const rkeys[] = { "soft_fail", NULL };
	static const char *const gkeys[] = { "default_validity_days", NULL };
	static const char *const vkeys[] = {
	    "approval_requires_checks_pass", NULL };
	const json_t	*o;
	const char	*s;
	long long	 v;
	int		 present;

	if (gw_jdec_keys(root, "", keys, e) != 0 ||
	    gw_jdec_int(root, "", "policy_version", 1, 1, 1, &v, &present,
	    e) != 0)
		return -1;
	p->version = (int)v;
	if (gw_jdec_strv(root, "", "certificate_types", 1, 1,
	    GW_MAX_POLICY_ITEMS, GW_MAX_SHORT, &p->types, &p->ntypes, e) != 0 ||
	    parse_scenarios(p, root, e) != 0 ||
	    parse_rates(p, root, e) != 0)
		return -1;
	/* Thresholds: the Measures' domestic conditions by default. */
	p->min_capital_cny = 70000000;
	p->min_staff = 60;
	if (gw_jdec_obj(root, "", "thresholds", 0, &o, e) != 0)
		return -1;
	if (o != NULL) {
		if (gw_jdec_keys(o, "thresholds", tkeys, e) != 0 ||
		    gw_jdec_int(o, "thresholds", "registered_capital_cny", 0,
		    0, GW_MAX_CAPITAL, &v, &present, e) != 0)
			return -1;
		if (present)
			p->min_capital_cny = (double)v;
		if (gw_jdec_int(o, "thresholds", "technical_staff", 0, 0,
		    GW_MAX_STAFF, &v, &present, e) != 0)
			return -1;
		if (present)
			p->min_staff = v;
		if (gw_jdec_str(o, "thresholds", "cite", 0, GW_MAX_NAME, 0, &s,
		    e) != 0)
			return -1;
		if (s != NULL && (p->threshold_cite = strdup(s)) == NULL)
			return -1;
	}
	if (p->threshold_cite == NULL && (p->threshold_cite =
	    strdup("Electronic Certification Service Management Measures "
	    "(MIIT), domestic conditions")) == NULL)
		return -1;
	if (gw_jdec_obj(root, "", "revocation", 0, &o, e) != 0 ||
	    (o != NULL && (gw_jdec_keys(o, "revocation", rkeys, e) != 0 ||
	    bool_member(o, "revocation", "soft_fail",
	    &p->revocation_soft_fail, e) != 0)))
		return -1;
	p->validity_days = 1095;
	if (gw_jdec_obj(root, "", "recognition", 0, &o, e) != 0)
		return -1;
	if (o != NULL) {
		if (gw_jdec_keys(o, "recognition", gkeys, e) != 0 ||
		    gw_jdec_int(o, "recognition", "default_validity_days", 0,
		    1, 36500, &v, &present, e) != 0)
			return -1;
		if (present)
			p->validity_days = v;
	}
	p->approval_requires_pass = 1;
	if (gw_jdec_obj(root, "", "review", 0, &o, e) != 0 ||
	    (o != NULL && (gw_jdec_keys(o, "review", vkeys, e) != 0 ||
	    bool_member(o, "review", "approval_requires_checks_pass",
	    &p->approval_requires_pass, e) != 0)))
		return -1;
	if (gw_jdec_strv(root, "", "lint_profiles", 0, 0, 8, GW_MAX_SHORT,
	    &p->lint_profiles, &p->nlint_profiles, e) != 0)
		return -1;
	p->audit_max_age_days = 730;
	if (gw_jdec_int(root, "", "audit_report_max_age_days", 0, 1, 36500, &v,
	    &present, e) != 0)
		return -1;
	if (present)
		p->audit_max_age_days = v;
	p->min_rsa_bits = 2048;
	if (gw_jdec_int(root, "", "min_rsa_bits", 0, 512, 16384, &v, &present,
	    e) != 0)
		return -1;
	if (present)
		p->min_rsa_bits = v;
	p->min_ec_bits = 256;
	if (gw_jdec_int(root, "", "min_ec_bits", 0, 160, 571, &v, &present,
	    e) != 0)
		return -1;
	if (present)
		p->min_ec_bits = v;
	return 0;
}

struct gw_policy *
gw_policy_parse(const char *buf, size_t len, const char *name, char *err,
    size_t errlen)
{
	struct gw_policy	*p = NULL;
	struct gw_svc_err	 e;
	json_t			*root;

	memset(&e, 0, sizeof(e));
	if ((root = gw_jdec_parse(buf, len, &e)) == NULL)
		goto fail;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(e.message, sizeof(e.message), "out of memory");
		goto fail;
	}
	snprintf(e.message, sizeof(e.message), "out of memory");
	if (parse(p, root, &e) != 0)
		goto fail;
	json_decref(root);
	return p;
 fail:
	if (e.field[0] != '\0')
		snprintf(err, errlen, "%s: %s: %s", name, e.field, e.message);
	else
		snprintf(err, errlen, "%s: %s", name, e.message);
	json_decref(root);
	gw_policy_free(p);
	return NULL;
}

struct gw_policy *
gw_policy_load(const char *path, char *err, size_t errlen)
{
	struct gw_policy	*p;
	unsigned char		*buf;
	size_t			 len;

	if (val_read_file(path, GW_MAX_POLICY_BYTES, &buf, &len, err,
	    errlen) != 0)
		return NULL;
	p = gw_policy_parse((const char *)buf, len, path, err, errlen);
	free(buf);
	return p;
}

int
gw_policy_scenario_ok(const struct gw_policy *p, const char *id)
{
	size_t	 i;

	for (i = 0; i < p->nscenarios; i++)
		if (strcmp(p->scenarios[i].id, id) == 0)
			return 1;
	return 0;
}

int
gw_policy_type_ok(const struct gw_policy *p, const char *t)
{
	return gw_strv_has(p->types, t);
}

int
gw_policy_rate(const struct gw_policy *p, const char *cur, double *cny)
{
	size_t	 i;

	for (i = 0; i < p->nrates; i++)
		if (strcmp(p->rates[i].currency, cur) == 0) {
			*cny = p->rates[i].cny;
			return 0;
		}
	return -1;
}
