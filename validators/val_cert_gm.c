/*
 * val_cert_gm.c: GM/T 0015-2012 (SM2 certificate format) and GB/T 20518
 * specifics for CA, signing and encryption end-entity certificates.  The
 * clause of each rule is in profiles/gmt0015.profile; where the
 * standard's prose, tables and examples disagree the profile's severity
 * records the choice.  SM2 is matched by OID (OpenSSL 3.0 does not call an
 * SM2 key "EC").
 */
#include <stdint.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "val_cert_int.h"

#define KU_SIGN_BITS	(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)
#define KU_ENC_BITS	(KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT | \
			    KU_KEY_AGREEMENT)
#define KU_CA_BITS	(KU_KEY_CERT_SIGN | KU_CRL_SIGN)

/* GM/T 0015 5.2.4.2: the identity extensions, 1.2.156.10260.4.1.1-5. */
static int
is_gm_id_ext(const ASN1_OBJECT *o)
{
	static const char *const ids[] = { "1.2.156.10260.4.1.1",
	    "1.2.156.10260.4.1.2", "1.2.156.10260.4.1.3",
	    "1.2.156.10260.4.1.4", "1.2.156.10260.4.1.5" };
	char	 buf[80];
	size_t	 i;

	if (OBJ_obj2txt(buf, sizeof(buf), o, 1) <= 0)
		return 0;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strcmp(buf, ids[i]) == 0)
			return 1;
	return 0;
}

static int
outer_sig(const struct val_cctx *ctx, int *ptype)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*a;
	const ASN1_OBJECT	*o;

	X509_get0_signature(&sig, &a, ctx->x);
	X509_ALGOR_get0(&o, ptype, NULL, a);
	return OBJ_obj2nid(o);
}

static void
chk_sig_not_sm2(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 pt, nid = outer_sig(ctx, &pt);

	if (nid != NID_SM2_with_SM3)
		val_cfind(ctx, r, "signatureAlgorithm", "%s",
		    nid != NID_undef ? OBJ_nid2sn(nid) : "unknown");
}

static void
one_sm2_params(struct val_cctx *ctx, const struct val_rule *r,
    const char *path, const X509_ALGOR *a, int want_null)
{
	const ASN1_OBJECT	*o;
	int			 pt;

	X509_ALGOR_get0(&o, &pt, NULL, a);
	if (OBJ_obj2nid(o) != NID_SM2_with_SM3)
		return;
	if (want_null && pt == V_ASN1_NULL)
		val_cfind(ctx, r, path, "NULL parameters");
	if (!want_null && pt != V_ASN1_NULL && pt != V_ASN1_UNDEF &&
	    pt != -1)
		val_cfind(ctx, r, path, "parameters of type %d", pt);
}

static void
sm2_params(struct val_cctx *ctx, const struct val_rule *r, int want_null)
{
	const ASN1_BIT_STRING	*sig;
	const X509_ALGOR	*outer;

	X509_get0_signature(&sig, &outer, ctx->x);
	one_sm2_params(ctx, r, "tbsCertificate.signature",
	    X509_get0_tbs_sigalg(ctx->x), want_null);
	one_sm2_params(ctx, r, "signatureAlgorithm", outer, want_null);
}

static void
chk_sig_null(struct val_cctx *ctx, const struct val_rule *r)
{
	sm2_params(ctx, r, 1);
}

static void
chk_sig_params(struct val_cctx *ctx, const struct val_rule *r)
{
	sm2_params(ctx, r, 0);
}

static int
key_alg(const struct val_cctx *ctx, int *pt, const void **pv)
{
	X509_PUBKEY		*pub;
	X509_ALGOR		*a;
	const ASN1_OBJECT	*o;

	if ((pub = X509_get_X509_PUBKEY(ctx->x)) == NULL ||
	    X509_PUBKEY_get0_param(NULL, NULL, NULL, &a, pub) != 1)
		return NID_undef;
	X509_ALGOR_get0(&o, pt, pv, a);
	return OBJ_obj2nid(o);
}

static void
chk_spki_301(struct val_cctx *ctx, const struct val_rule *r)
{
	const void	*pv;
	int		 pt;

	if (key_alg(ctx, &pt, &pv) == NID_sm2)
		val_cfind(ctx, r, "subjectPublicKeyInfo.algorithm",
		    "1.2.156.10197.1.301 rather than id-ecPublicKey");
}

static void
chk_key_not_sm2(struct val_cctx *ctx, const struct val_rule *r)
{
	const void	*pv;
	int		 pt = -1, nid = key_alg(ctx, &pt, &pv);

	if (nid == NID_sm2)
		return;
	if (nid == NID_X9_62_id_ecPublicKey && pt == V_ASN1_OBJECT &&
	    OBJ_obj2nid(pv) == NID_sm2)
		return;
	val_cfind(ctx, r, "subjectPublicKeyInfo", "%s",
	    nid != NID_undef ? OBJ_nid2sn(nid) : "unknown algorithm");
}

static void
chk_dn_utf8(struct val_cctx *ctx, const struct val_rule *r)
{
	const X509_NAME		*nm;
	const X509_NAME_ENTRY	*e;
	const ASN1_STRING	*v;
	char			 path[64];
	int			 w, i, n, nid;

	for (w = 0; w < 2; w++) {
		nm = w == 0 ? X509_get_issuer_name(ctx->x) :
		    X509_get_subject_name(ctx->x);
		n = X509_NAME_entry_count(nm);
		for (i = 0; i < n; i++) {
			e = X509_NAME_get_entry(nm, i);
			nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
			v = X509_NAME_ENTRY_get_data(e);
			if (nid == NID_countryName || nid == NID_serialNumber ||
			    nid == NID_dnQualifier || nid == NID_undef ||
			    nid == NID_pkcs9_emailAddress ||
			    nid == NID_domainComponent)
				continue;
			if (v->type == V_ASN1_UTF8STRING)
				continue;
			snprintf(path, sizeof(path), "%s[%d]", w == 0 ?
			    "issuer" : "subject", i);
			val_cfind(ctx, r, path, "%s as %s", OBJ_nid2sn(nid),
			    ASN1_tag2str(v->type));
		}
	}
}

static void
chk_ku_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	if (!ctx->ku_present)
		val_cfind(ctx, r, "extensions", "no keyUsage");
}

static void
chk_ku_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->ku_present && !ctx->ku_crit)
		val_cfind(ctx, r, "extensions.keyUsage", NULL);
}

static void
chk_ca_ku(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_CA && ctx->ku_present &&
	    ctx->ku != KU_CA_BITS)
		val_cfind(ctx, r, "extensions.keyUsage", "bits 0x%x, want "
		    "keyCertSign and cRLSign only", (unsigned)ctx->ku);
}

static void
chk_sign_ku(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role != VAL_ROLE_SIGN || !ctx->ku_present)
		return;
	if ((ctx->ku & ~(KU_SIGN_BITS | KU_ENC_BITS)) ||
	    (ctx->ku & KU_SIGN_BITS) != KU_SIGN_BITS)
		val_cfind(ctx, r, "extensions.keyUsage", "bits 0x%x, want "
		    "digitalSignature and nonRepudiation", (unsigned)ctx->ku);
}

static void
chk_enc_ku(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_ENC && ctx->ku != KU_ENC_BITS)
		val_cfind(ctx, r, "extensions.keyUsage", "bits 0x%x, want "
		    "keyEncipherment, dataEncipherment and keyAgreement",
		    (unsigned)ctx->ku);
}

static void
chk_ku_dual(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_SIGN && (ctx->ku & KU_SIGN_BITS) &&
	    (ctx->ku & KU_ENC_BITS))
		val_cfind(ctx, r, "extensions.keyUsage", "signing and "
		    "encryption bits together (0x%x)", (unsigned)ctx->ku);
}

static void
chk_ee_bc_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role != VAL_ROLE_CA && ctx->bc_present && ctx->bc_crit)
		val_cfind(ctx, r, "extensions.basicConstraints", NULL);
}

/* Sub-CAs and end entities (not self-issued roots) need these. */
static void
need(struct val_cctx *ctx, const struct val_rule *r, int nid)
{
	if (ctx->role == VAL_ROLE_CA && ctx->self_issued)
		return;
	if (val_ext_find(ctx, nid, NULL) < 0)
		val_cfind(ctx, r, "extensions", "no %s", OBJ_nid2sn(nid));
}

static void
chk_cp_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	need(ctx, r, NID_certificate_policies);
}

static void
chk_crldp_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	need(ctx, r, NID_crl_distribution_points);
}

static void
chk_aia_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	need(ctx, r, NID_info_access);
}

static void
chk_sia_missing(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_CA &&
	    val_ext_find(ctx, NID_sinfo_access, NULL) < 0)
		val_cfind(ctx, r, "extensions", "no subjectInfoAccess");
}

static void
chk_cp_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 crit;

	if (val_ext_find(ctx, NID_certificate_policies, &crit) >= 0 && crit)
		val_cfind(ctx, r, "extensions.certificatePolicies", NULL);
}

static void
chk_crldp_scheme(struct val_cctx *ctx, const struct val_rule *r)
{
	CRL_DIST_POINTS		*dps;
	DIST_POINT		*dp;
	GENERAL_NAME		*g;
	const unsigned char	*u;
	int			 j, k, n;

	if ((dps = val_ext_d2i(ctx, NID_crl_distribution_points)) == NULL)
		return;
	for (j = 0; j < sk_DIST_POINT_num(dps); j++) {
		dp = sk_DIST_POINT_value(dps, j);
		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		n = sk_GENERAL_NAME_num(dp->distpoint->name.fullname);
		for (k = 0; k < n; k++) {
			g = sk_GENERAL_NAME_value(
			    dp->distpoint->name.fullname, k);
			if (g->type != GEN_URI)
				continue;
			u = ASN1_STRING_get0_data(
			    g->d.uniformResourceIdentifier);
			if (strncasecmp((const char *)u, "http://", 7) != 0 &&
			    strncasecmp((const char *)u, "ldap://", 7) != 0)
				val_cfind(ctx, r,
				    "extensions.crlDistributionPoints",
				    "'%.80s'", (const char *)u);
		}
	}
	CRL_DIST_POINTS_free(dps);
}

/* GM/T 0015 Annex C: the critical extensions the tables list. */
static void
chk_crit_unlisted(struct val_cctx *ctx, const struct val_rule *r)
{
	static const int listed[] = { NID_basic_constraints, NID_key_usage,
	    NID_ext_key_usage, NID_subject_alt_name, NID_name_constraints,
	    NID_policy_constraints, NID_inhibit_any_policy,
	    NID_policy_mappings };
	X509_EXTENSION	*e;
	char		 oid[80], path[100];
	size_t		 k;
	int		 i, nid, ok;

	for (i = 0; i < ctx->nexts; i++) {
		e = X509_get_ext(ctx->x, i);
		if (!X509_EXTENSION_get_critical(e))
			continue;
		nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));
		for (ok = 0, k = 0; k < sizeof(listed) / sizeof(listed[0]);
		    k++)
			if (listed[k] == nid)
				ok = 1;
		if (ok)
			continue;
		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(e),
		    0);
		snprintf(path, sizeof(path), "extensions[%d]", i);
		val_cfind(ctx, r, path, "%s", oid);
	}
}

static void
chk_id_ext_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	X509_EXTENSION	*e;
	char		 path[64];
	int		 i;

	for (i = 0; i < ctx->nexts; i++) {
		e = X509_get_ext(ctx->x, i);
		if (X509_EXTENSION_get_critical(e) &&
		    is_gm_id_ext(X509_EXTENSION_get_object(e))) {
			snprintf(path, sizeof(path), "extensions[%d]", i);
			val_cfind(ctx, r, path, NULL);
		}
	}
}

static void
chk_serial_short(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_INTEGER	*s = X509_get0_serialNumber(ctx->x);

	if (s->length < 4)
		val_cfind(ctx, r, "serialNumber", "%d octets", s->length);
}

/*
 * GM/T 0015 5.2.4.2 (extKeyUsage): each purpose needs key usage bits;
 * one of the listed bits is enough.
 */
static void
chk_eku_ku(struct val_cctx *ctx, const struct val_rule *r)
{
	static const struct {
		int		 nid;
		uint32_t	 any;
	} pairs[] = {
		{ NID_server_auth, KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT |
		    KU_KEY_AGREEMENT },
		{ NID_client_auth, KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT },
		{ NID_email_protect, KU_DIGITAL_SIGNATURE |
		    KU_NON_REPUDIATION | KU_KEY_ENCIPHERMENT |
		    KU_KEY_AGREEMENT },
		{ NID_code_sign, KU_DIGITAL_SIGNATURE },
		{ NID_time_stamp, KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION },
		{ NID_OCSP_sign, KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION },
	};
	EXTENDED_KEY_USAGE	*eku;
	size_t			 k;
	int			 j, nid;

	if (!ctx->ku_present ||
	    (eku = val_ext_d2i(ctx, NID_ext_key_usage)) == NULL)
		return;
	for (j = 0; j < sk_ASN1_OBJECT_num(eku); j++) {
		nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, j));
		for (k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++)
			if (pairs[k].nid == nid && !(ctx->ku & pairs[k].any))
				val_cfind(ctx, r, "extensions.extKeyUsage",
				    "%s without a key usage bit it needs",
				    OBJ_nid2sn(nid));
	}
	EXTENDED_KEY_USAGE_free(eku);
}

const struct val_check val_checks_gm[] = {
	{ "GMT-SIG-NOT-SM2", chk_sig_not_sm2 },
	{ "GMT-SIG-PARAMS-NULL", chk_sig_null },
	{ "GMT-SIG-PARAMS", chk_sig_params },
	{ "GMT-SPKI-OID301", chk_spki_301 },
	{ "GMT-KEY-NOT-SM2", chk_key_not_sm2 },
	{ "GMT-DN-NOT-UTF8", chk_dn_utf8 },
	{ "GMT-KU-MISSING", chk_ku_missing },
	{ "GMT-KU-NOT-CRITICAL", chk_ku_crit },
	{ "GMT-CA-KU-BITS", chk_ca_ku },
	{ "GMT-SIGN-KU-BITS", chk_sign_ku },
	{ "GMT-ENC-KU-BITS", chk_enc_ku },
	{ "GMT-KU-DUAL", chk_ku_dual },
	{ "GMT-EE-BC-CRITICAL", chk_ee_bc_crit },
	{ "GMT-CP-MISSING", chk_cp_missing },
	{ "GMT-CP-CRITICAL", chk_cp_crit },
	{ "GMT-CRLDP-MISSING", chk_crldp_missing },
	{ "GMT-CRLDP-SCHEME", chk_crldp_scheme },
	{ "GMT-AIA-MISSING", chk_aia_missing },
	{ "GMT-SIA-MISSING", chk_sia_missing },
	{ "GMT-EXT-CRITICAL-UNLISTED", chk_crit_unlisted },
	{ "GMT-ID-EXT-CRITICAL", chk_id_ext_crit },
	{ "GMT-SERIAL-SHORT", chk_serial_short },
	{ "GMT-EKU-KU", chk_eku_ku },
	{ NULL, NULL }
};
