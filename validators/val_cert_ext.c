/*
 * val_cert_ext.c: extensions (RFC 5280 4.2): uniqueness, criticality,
 * decodability, basicConstraints and keyUsage coherence, key identifiers.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "val_cert_int.h"

static void
ext_path(const struct val_cctx *ctx, int i, char *buf, size_t len)
{
	const ASN1_OBJECT	*o;
	char			 oid[80];
	int			 nid;

	o = X509_EXTENSION_get_object(X509_get_ext(ctx->x, i));
	nid = OBJ_obj2nid(o);
	if (nid != NID_undef)
		snprintf(buf, len, "extensions[%d].%s", i, OBJ_nid2sn(nid));
	else {
		OBJ_obj2txt(oid, sizeof(oid), o, 1);
		snprintf(buf, len, "extensions[%d].%s", i, oid);
	}
}

/* Compares extension OIDs by their DER content. */
static int
oidcmp(const void *a, const void *b)
{
	const ASN1_OBJECT	*x = *(const ASN1_OBJECT *const *)a;
	const ASN1_OBJECT	*y = *(const ASN1_OBJECT *const *)b;

	return OBJ_cmp(x, y);
}

static void
chk_dup(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	**v;
	char			 oid[80], nm[80];
	int			 i;

	if (ctx->nexts < 2)
		return;
	if ((v = calloc(ctx->nexts, sizeof(*v))) == NULL) {
		ctx->rep->oom = 1;
		return;
	}
	for (i = 0; i < ctx->nexts; i++)
		v[i] = X509_EXTENSION_get_object(X509_get_ext(ctx->x, i));
	qsort(v, ctx->nexts, sizeof(*v), oidcmp);
	for (i = 1; i < ctx->nexts; i++)
		if (OBJ_cmp(v[i - 1], v[i]) == 0 &&
		    (i == 1 || OBJ_cmp(v[i - 2], v[i]) != 0)) {
			OBJ_obj2txt(oid, sizeof(oid), v[i], 1);
			OBJ_obj2txt(nm, sizeof(nm), v[i], 0);
			val_cfind(ctx, r, "extensions", "%s (%s) appears more "
			    "than once", oid, nm);
		}
	free(v);
}

static void
ext_free(X509_EXTENSION *e, void *d)
{
	const X509V3_EXT_METHOD	*m = X509V3_EXT_get(e);

	if (m->it != NULL)
		ASN1_item_free(d, ASN1_ITEM_ptr(m->it));
	else if (m->ext_free != NULL)
		m->ext_free(d);
}

/*
 * keyUsage is a named bit list: DER drops trailing zero bits (X.690
 * 11.2.2), so the last octet is non-zero and the unused-bits count equals
 * its trailing zeros.
 */
static int
ku_named_bits_ok(const ASN1_OCTET_STRING *v)
{
	const unsigned char	*p = v->data;
	unsigned		 unused, last;

	if (v->length < 3 || p[0] != 0x03 || p[1] != v->length - 2)
		return 1;	/* the decoder judges the framing */
	unused = p[2];
	if (v->length == 3)
		return unused == 0;
	last = p[v->length - 1];
	if (last == 0 || unused > 7)
		return 0;
	return (last & ((1u << unused) - 1)) == 0 &&
	    (last & (1u << unused)) != 0;
}

/* 1 when the decoded value encodes back to exactly the same bytes. */
static int
reencodes(X509_EXTENSION *e, void *d, const ASN1_OCTET_STRING *v)
{
	const X509V3_EXT_METHOD	*m = X509V3_EXT_get(e);
	unsigned char		*out = NULL;
	int			 n, same;

	if (m->it == NULL)
		return 1;	/* no template: cannot tell */
	if ((n = ASN1_item_i2d(d, &out, ASN1_ITEM_ptr(m->it))) < 0)
		return 1;
	same = n == v->length && memcmp(out, v->data, n) == 0;
	OPENSSL_free(out);
	return same;
}

static void
chk_unknown_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	X509_EXTENSION	*e;
	char		 path[128];
	int		 i;

	for (i = 0; i < ctx->nexts; i++) {
		e = X509_get_ext(ctx->x, i);
		if (X509_EXTENSION_get_critical(e) &&
		    X509V3_EXT_get(e) == NULL) {
			ext_path(ctx, i, path, sizeof(path));
			val_cfind(ctx, r, path, NULL);
		}
	}
}

static void
chk_undecodable(struct val_cctx *ctx, const struct val_rule *r)
{
	X509_EXTENSION		*e;
	const ASN1_OCTET_STRING	*v;
	void			*d;
	char			 path[128], why[160];
	int			 i;

	for (i = 0; i < ctx->nexts; i++) {
		e = X509_get_ext(ctx->x, i);
		if (X509V3_EXT_get(e) == NULL)
			continue;	/* unknown: nothing to decode with */
		ext_path(ctx, i, path, sizeof(path));
		v = X509_EXTENSION_get_data(e);
		if ((d = X509V3_EXT_d2i(e)) == NULL) {
			val_cfind(ctx, r, path, "value does not decode");
			continue;
		}
		if (val_der_strict(v->data, v->length, why, sizeof(why)) != 0)
			val_cfind(ctx, r, path, "not DER: %s", why);
		else if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) ==
		    NID_key_usage && !ku_named_bits_ok(v))
			val_cfind(ctx, r, path, "not DER: named bit list "
			    "with trailing zero bits");
		else if (!reencodes(e, d, v))
			val_cfind(ctx, r, path, "not DER: re-encoding the "
			    "decoded value gives other bytes (DEFAULT value "
			    "present, unsorted SET, padded BIT STRING, ...)");
		ext_free(e, d);
	}
}

static void
chk_bc_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->bc_present && ctx->bc_ca && !ctx->bc_crit)
		val_cfind(ctx, r, "extensions.basicConstraints", NULL);
}

static void
chk_certsign_not_ca(struct val_cctx *ctx, const struct val_rule *r)
{
	if ((ctx->ku & KU_KEY_CERT_SIGN) && !ctx->bc_ca)
		val_cfind(ctx, r, "extensions.keyUsage", "keyCertSign "
		    "without basicConstraints cA");
}

static void
chk_ca_ku_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->bc_ca && !ctx->ku_present)
		val_cfind(ctx, r, "extensions", "no keyUsage");
}

static void
chk_ca_no_certsign(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->bc_ca && ctx->ku_present && !(ctx->ku & KU_KEY_CERT_SIGN))
		val_cfind(ctx, r, "extensions.keyUsage", NULL);
}

static void
chk_ku_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->ku_present && !ctx->ku_crit)
		val_cfind(ctx, r, "extensions.keyUsage", NULL);
}

static void
chk_ku_empty(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 i = val_ext_find(ctx, NID_key_usage, NULL);
	void	*d;

	if (i < 0 || ctx->ku != 0)
		return;
	if ((d = X509V3_EXT_d2i(X509_get_ext(ctx->x, i))) == NULL)
		return;		/* undecodable: reported elsewhere */
	ASN1_BIT_STRING_free(d);
	val_cfind(ctx, r, "extensions.keyUsage", NULL);
}

static void
chk_pathlen(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->bc_pathlen >= 0 && (!ctx->bc_ca ||
	    (ctx->ku_present && !(ctx->ku & KU_KEY_CERT_SIGN))))
		val_cfind(ctx, r, "extensions.basicConstraints",
		    "pathLenConstraint %ld", ctx->bc_pathlen);
}

static void
chk_aki_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	if (!ctx->self_issued && val_ext_find(ctx,
	    NID_authority_key_identifier, NULL) < 0)
		val_cfind(ctx, r, "extensions", "no authorityKeyIdentifier");
}

/* Criticality rules: the extension must (want 1) or must not (want 0) be
 * critical when present. */
static void
crit_is(struct val_cctx *ctx, const struct val_rule *r, int nid, int want)
{
	char	 path[96];
	int	 crit, i;

	if ((i = val_ext_find(ctx, nid, &crit)) >= 0 && crit != want) {
		snprintf(path, sizeof(path), "extensions[%d].%s", i,
		    OBJ_nid2sn(nid));
		val_cfind(ctx, r, path, NULL);
	}
}

static void
chk_aki_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_authority_key_identifier, 0);
}

static void
chk_aki_keyid(struct val_cctx *ctx, const struct val_rule *r)
{
	AUTHORITY_KEYID	*a;

	if ((a = val_ext_d2i(ctx, NID_authority_key_identifier)) == NULL)
		return;
	if (a->keyid == NULL)
		val_cfind(ctx, r, "extensions.authorityKeyIdentifier", NULL);
	AUTHORITY_KEYID_free(a);
}

static void
chk_ski_ca(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_CA &&
	    val_ext_find(ctx, NID_subject_key_identifier, NULL) < 0)
		val_cfind(ctx, r, "extensions", "no subjectKeyIdentifier");
}

static void
chk_ski_ee(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role != VAL_ROLE_CA &&
	    val_ext_find(ctx, NID_subject_key_identifier, NULL) < 0)
		val_cfind(ctx, r, "extensions", "no subjectKeyIdentifier");
}

static void
chk_ski_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_subject_key_identifier, 0);
}

static void
chk_nc_not_ca(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role != VAL_ROLE_CA &&
	    val_ext_find(ctx, NID_name_constraints, NULL) >= 0)
		val_cfind(ctx, r, "extensions.nameConstraints", NULL);
}

static void
chk_nc_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_name_constraints, 1);
}

static void
chk_aia_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_info_access, 0);
}

static void
chk_sia_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_sinfo_access, 0);
}

static void
chk_pc_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_policy_constraints, 1);
}

static void
chk_iap_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_inhibit_any_policy, 1);
}

static void
chk_crldp_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_crl_distribution_points, 0);
}

static void
chk_san_empty(struct val_cctx *ctx, const struct val_rule *r)
{
	GENERAL_NAMES	*g;

	if ((g = val_ext_d2i(ctx, NID_subject_alt_name)) == NULL)
		return;
	if (sk_GENERAL_NAME_num(g) == 0)
		val_cfind(ctx, r, "extensions.subjectAltName", NULL);
	GENERAL_NAMES_free(g);
}

static void
chk_cp_dup(struct val_cctx *ctx, const struct val_rule *r)
{
	CERTIFICATEPOLICIES	*cp;
	POLICYINFO		*a, *b;
	char			 oid[80];
	int			 j, k, n;

	if ((cp = val_ext_d2i(ctx, NID_certificate_policies)) == NULL)
		return;
	n = sk_POLICYINFO_num(cp);
	for (j = 0; j < n && j < 64; j++) {
		a = sk_POLICYINFO_value(cp, j);
		for (k = j + 1; k < n && k < 64; k++) {
			b = sk_POLICYINFO_value(cp, k);
			if (OBJ_cmp(a->policyid, b->policyid) == 0) {
				OBJ_obj2txt(oid, sizeof(oid), a->policyid, 1);
				val_cfind(ctx, r,
				    "extensions.certificatePolicies",
				    "%s twice", oid);
				break;
			}
		}
	}
	CERTIFICATEPOLICIES_free(cp);
}

static void
chk_pm_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_policy_mappings, 1);
}

static void
chk_pm_any(struct val_cctx *ctx, const struct val_rule *r)
{
	POLICY_MAPPINGS	*pm;
	POLICY_MAPPING	*m;
	int		 j;

	if ((pm = val_ext_d2i(ctx, NID_policy_mappings)) == NULL)
		return;
	for (j = 0; j < sk_POLICY_MAPPING_num(pm); j++) {
		m = sk_POLICY_MAPPING_value(pm, j);
		if (OBJ_obj2nid(m->issuerDomainPolicy) == NID_any_policy ||
		    OBJ_obj2nid(m->subjectDomainPolicy) == NID_any_policy) {
			val_cfind(ctx, r, "extensions.policyMappings",
			    "mapping %d", j);
			break;
		}
	}
	sk_POLICY_MAPPING_pop_free(pm, POLICY_MAPPING_free);
}

/*
 * The decoded value of the first extension nid (X509V3_EXT_d2i's type
 * for it; the caller frees it), or NULL when absent or undecodable (an
 * undecodable value is CERT-EXT-UNDECODABLE's finding, not each check's).
 */
void *
val_ext_d2i(const struct val_cctx *ctx, int nid)
{
	int	 i;

	if ((i = val_ext_find(ctx, nid, NULL)) < 0)
		return NULL;
	return X509V3_EXT_d2i(X509_get_ext(ctx->x, i));
}

static void
chk_nc_empty(struct val_cctx *ctx, const struct val_rule *r)
{
	NAME_CONSTRAINTS	*nc;

	if ((nc = val_ext_d2i(ctx, NID_name_constraints)) == NULL)
		return;
	if (sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 &&
	    sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0)
		val_cfind(ctx, r, "extensions.nameConstraints", NULL);
	NAME_CONSTRAINTS_free(nc);
}

/* max: 0 checks minimum (must be 0), 1 maximum (must be absent). */
static void
nc_minmax(struct val_cctx *ctx, const struct val_rule *r,
    STACK_OF(GENERAL_SUBTREE) *sk, const char *which, int max)
{
	GENERAL_SUBTREE	*t;
	int		 i, bad;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(sk); i++) {
		t = sk_GENERAL_SUBTREE_value(sk, i);
		bad = max ? t->maximum != NULL : (t->minimum != NULL &&
		    ASN1_INTEGER_get(t->minimum) != 0);
		if (bad) {
			val_cfind(ctx, r, "extensions.nameConstraints",
			    "%s subtree %d", which, i);
			return;
		}
	}
}

static void
nc_limits(struct val_cctx *ctx, const struct val_rule *r, int max)
{
	NAME_CONSTRAINTS	*nc;

	if ((nc = val_ext_d2i(ctx, NID_name_constraints)) == NULL)
		return;
	nc_minmax(ctx, r, nc->permittedSubtrees, "permitted", max);
	nc_minmax(ctx, r, nc->excludedSubtrees, "excluded", max);
	NAME_CONSTRAINTS_free(nc);
}

static void
chk_nc_min(struct val_cctx *ctx, const struct val_rule *r)
{
	nc_limits(ctx, r, 0);
}

static void
chk_nc_max(struct val_cctx *ctx, const struct val_rule *r)
{
	nc_limits(ctx, r, 1);
}

static void
chk_pc_empty(struct val_cctx *ctx, const struct val_rule *r)
{
	POLICY_CONSTRAINTS	*pc;

	if ((pc = val_ext_d2i(ctx, NID_policy_constraints)) == NULL)
		return;
	if (pc->requireExplicitPolicy == NULL &&
	    pc->inhibitPolicyMapping == NULL)
		val_cfind(ctx, r, "extensions.policyConstraints", NULL);
	POLICY_CONSTRAINTS_free(pc);
}

static void
chk_sda_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_subject_directory_attributes, 0);
}

static void
chk_freshest_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	crit_is(ctx, r, NID_freshest_crl, 0);
}

static void
chk_dp_incomplete(struct val_cctx *ctx, const struct val_rule *r)
{
	CRL_DIST_POINTS	*dps;
	DIST_POINT	*dp;
	int		 j;

	if ((dps = val_ext_d2i(ctx, NID_crl_distribution_points)) == NULL)
		return;
	for (j = 0; j < sk_DIST_POINT_num(dps); j++) {
		dp = sk_DIST_POINT_value(dps, j);
		if (dp->distpoint == NULL && dp->CRLissuer == NULL)
			val_cfind(ctx, r, "extensions.crlDistributionPoints",
			    "distribution point %d", j);
	}
	CRL_DIST_POINTS_free(dps);
}

const struct val_check val_checks_ext[] = {
	{ "CERT-EXT-DUP", chk_dup },
	{ "CERT-EXT-UNKNOWN-CRITICAL", chk_unknown_crit },
	{ "CERT-EXT-UNDECODABLE", chk_undecodable },
	{ "CERT-BC-CA-NOT-CRITICAL", chk_bc_crit },
	{ "CERT-KU-CERTSIGN-NOT-CA", chk_certsign_not_ca },
	{ "CERT-CA-KU-MISSING", chk_ca_ku_missing },
	{ "CERT-CA-KU-NO-CERTSIGN", chk_ca_no_certsign },
	{ "CERT-KU-NOT-CRITICAL", chk_ku_crit },
	{ "CERT-KU-EMPTY", chk_ku_empty },
	{ "CERT-PATHLEN-NOT-CA", chk_pathlen },
	{ "CERT-AKI-MISSING", chk_aki_missing },
	{ "CERT-AKI-CRITICAL", chk_aki_crit },
	{ "CERT-AKI-NO-KEYID", chk_aki_keyid },
	{ "CERT-SKI-MISSING-CA", chk_ski_ca },
	{ "CERT-SKI-MISSING-EE", chk_ski_ee },
	{ "CERT-SKI-CRITICAL", chk_ski_crit },
	{ "CERT-NC-NOT-CA", chk_nc_not_ca },
	{ "CERT-NC-NOT-CRITICAL", chk_nc_crit },
	{ "CERT-AIA-CRITICAL", chk_aia_crit },
	{ "CERT-SIA-CRITICAL", chk_sia_crit },
	{ "CERT-PC-NOT-CRITICAL", chk_pc_crit },
	{ "CERT-IAP-NOT-CRITICAL", chk_iap_crit },
	{ "CERT-CRLDP-CRITICAL", chk_crldp_crit },
	{ "CERT-SAN-EMPTY", chk_san_empty },
	{ "CERT-CP-DUP", chk_cp_dup },
	{ "CERT-PM-NOT-CRITICAL", chk_pm_crit },
	{ "CERT-PM-ANY-POLICY", chk_pm_any },
	{ "CERT-NC-EMPTY", chk_nc_empty },
	{ "CERT-NC-MINIMUM", chk_nc_min },
	{ "CERT-NC-MAXIMUM", chk_nc_max },
	{ "CERT-PC-EMPTY", chk_pc_empty },
	{ "CERT-SDA-CRITICAL", chk_sda_crit },
	{ "CERT-FRESHEST-CRL-CRITICAL", chk_freshest_crit },
	{ "CERT-DP-INCOMPLETE", chk_dp_incomplete },
	{ NULL, NULL }
};
