/*
 * val_cert.c: lints one certificate against a profile.
 *
 * What it checks.  Only the rules the profile lists, in the profile's
 * order; each rule code names one check function (tables at the end of
 * each val_cert_*.c file):
 *   val_cert.c       DER strictness (the loader's der_error), an
 *                    undecodable public key (fatal), version, unique IDs,
 *                    serial number sign and length, inner/outer signature
 *                    algorithm, the number of extensions.
 *   val_cert_time.c  UTCTime/GeneralizedTime choice and form, validity
 *                    order, maximum validity, validity at the given time.
 *   val_cert_name.c  empty issuer/subject, SAN with an empty subject, DN
 *                    string types, PrintableString alphabet, upper bounds.
 *   val_cert_ext.c   duplicate, unknown (to OpenSSL) critical and
 *                    undecodable
 *                    extensions; basicConstraints/keyUsage coherence;
 *                    AKI/SKI; criticality of NC, AIA, SIA, policy
 *                    constraints, inhibitAnyPolicy, CRLDP; empty SAN;
 *                    duplicate policies.
 *   val_cert_alg.c   algorithm parameters, the algorithm policy of a
 *                    profile (signature, key, curve, RSA size, exponent).
 *   val_cert_gm.c    GM/T 0015-2012 specifics: SM2 encodings, key usage
 *                    per role, extensions the tables require, criticality.
 *
 * The role (CA, signing end entity, encryption end entity) comes from the
 * certificate: a CA asserts cA in basicConstraints or keyCertSign in
 * keyUsage; an end entity whose keyUsage has keyEncipherment,
 * dataEncipherment or keyAgreement and neither digitalSignature nor
 * nonRepudiation is an encryption certificate; every other one signs.
 *
 * What it ignores on purpose.  Signatures (path validation checks them,
 * val_chain.c); CA/Browser Forum rules (not our policy); name constraints
 * semantics and policy processing (path validation); the contents of
 * SAN/IAN names beyond emptiness.
 *
 * Known gaps.  Only the first max_extensions extensions are examined when
 * a certificate has more; GeneralName syntax (DNS, URI, e-mail) is not
 * checked; attribute upper bounds cover the attributes RFC 5280 Appendix
 * A bounds and no others; DER strictness inside extension values is
 * checked only for extensions OpenSSL knows.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "val_cert_int.h"

#define VAL_DEFAULT_MAX_EXTS	64

void
val_cfind(struct val_cctx *ctx, const struct val_rule *r, const char *path,
    const char *fmt, ...)
{
	char	 where[512];
	va_list	 ap;

	if (path != NULL)
		snprintf(where, sizeof(where), "%s:%s", ctx->c->where ?
		    ctx->c->where : "-", path);
	else
		snprintf(where, sizeof(where), "%s", ctx->c->where ?
		    ctx->c->where : "-");
	va_start(ap, fmt);
	val_report_addv(ctx->rep, r, where, fmt, ap);
	va_end(ap);
	if (r->sev == VAL_FATAL)
		ctx->fatal = 1;
}

int
val_ext_find(const struct val_cctx *ctx, int nid, int *crit)
{
	X509_EXTENSION	*e;
	int		 i;

	for (i = 0; i < ctx->nexts; i++) {
		e = X509_get_ext(ctx->x, i);
		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == nid) {
			if (crit != NULL)
				*crit = X509_EXTENSION_get_critical(e);
			return i;
		}
	}
	return -1;
}

int
val_ext_count(const struct val_cctx *ctx, int nid)
{
	int	 i, n = 0;

	for (i = 0; i < ctx->nexts; i++)
		if (OBJ_obj2nid(X509_EXTENSION_get_object(
		    X509_get_ext(ctx->x, i))) == nid)
			n++;
	return n;
}

int
val_oid_is(const ASN1_OBJECT *o, const char *oid)
{
	char	 buf[128];

	if (o == NULL || OBJ_obj2txt(buf, sizeof(buf), o, 1) <= 0)
		return 0;
	return strcmp(buf, oid) == 0;
}

/* Decodes basicConstraints and keyUsage once, from the first instance. */
static void
ctx_decode(struct val_cctx *ctx)
{
	BASIC_CONSTRAINTS	*bc;
	ASN1_BIT_STRING		*ku;
	int			 i, crit;
	size_t			 b;

	ctx->bc_pathlen = -1;
	if ((i = val_ext_find(ctx, NID_basic_constraints, &crit)) >= 0) {
		ctx->bc_present = 1;
		ctx->bc_crit = crit;
		bc = X509V3_EXT_d2i(X509_get_ext(ctx->x, i));
		if (bc != NULL) {
			ctx->bc_ca = bc->ca != 0;
			if (bc->pathlen != NULL)
				ctx->bc_pathlen = ASN1_INTEGER_get(
				    bc->pathlen);
			BASIC_CONSTRAINTS_free(bc);
		}
	}
	if ((i = val_ext_find(ctx, NID_key_usage, &crit)) >= 0) {
		ctx->ku_present = 1;
		ctx->ku_crit = crit;
		ku = X509V3_EXT_d2i(X509_get_ext(ctx->x, i));
		if (ku != NULL) {
			/* X509v3_KU_*: bit n of the BIT STRING, first octet
			 * in the low byte, as OpenSSL's ex_kusage. */
			for (b = 0; b < 9; b++)
				if (ASN1_BIT_STRING_get_bit(ku, (int)b)) {
					if (b < 8)
						ctx->ku |= 0x80u >> b;
					else
						ctx->ku |= 0x8000u;
				}
			ASN1_BIT_STRING_free(ku);
		}
	}
	if (ctx->bc_ca || (ctx->ku & KU_KEY_CERT_SIGN))
		ctx->role = VAL_ROLE_CA;
	else if ((ctx->ku & (KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT |
	    KU_KEY_AGREEMENT)) && !(ctx->ku & (KU_DIGITAL_SIGNATURE |
	    KU_NON_REPUDIATION)))
		ctx->role = VAL_ROLE_ENC;
	else
		ctx->role = VAL_ROLE_SIGN;
	ctx->self_issued = X509_NAME_cmp(X509_get_subject_name(ctx->x),
	    X509_get_issuer_name(ctx->x)) == 0;
}

int
val_cert_check(const struct val_cert *c, const struct val_profile *p,
    time_t now, struct val_report *rep)
{
	struct val_cctx	 ctx;
	size_t		 i;
	long		 max;
	int		 n;

	if (c == NULL || c->x509 == NULL || p == NULL || rep == NULL)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.c = c;
	ctx.x = c->x509;
	ctx.p = p;
	ctx.now = now;
	ctx.rep = rep;
	n = X509_get_ext_count(ctx.x);
	max = val_param_int(p, "max_extensions", VAL_DEFAULT_MAX_EXTS);
	ctx.nexts = n > max ? (int)max : n;
	ctx_decode(&ctx);
	for (i = 0; i < p->nrules && !ctx.fatal; i++)
		p->rules[i].chk->fn(&ctx, &p->rules[i].rule);
	return 0;
}

const char *
val_role_name(enum val_role r)
{
	switch (r) {
	case VAL_ROLE_CA:
		return "CA";
	case VAL_ROLE_ENC:
		return "encryption end entity";
	case VAL_ROLE_SIGN:
		break;
	}
	return "signing end entity";
}

/* Structural checks. */

static void
chk_der(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->c->der_error != NULL)
		val_cfind(ctx, r, NULL, "%s", ctx->c->der_error);
}

/* Only a key of an algorithm OpenSSL knows can be undecodable; an
 * unknown algorithm is the algorithm policy's business. */
static void
chk_key(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_OBJECT	*o;
	X509_PUBKEY		*pub;
	int			 nid;

	if (X509_get0_pubkey(ctx->x) != NULL)
		return;
	if ((pub = X509_get_X509_PUBKEY(ctx->x)) == NULL ||
	    X509_PUBKEY_get0_param((ASN1_OBJECT **)&o, NULL, NULL, NULL,
	    pub) != 1)
		return;
	nid = OBJ_obj2nid(o);
	if (nid != NID_undef && EVP_PKEY_asn1_find(NULL, nid) != NULL)
		val_cfind(ctx, r, "subjectPublicKeyInfo", "%s key",
		    OBJ_nid2sn(nid));
}

static void
chk_version(struct val_cctx *ctx, const struct val_rule *r)
{
	long	 v = X509_get_version(ctx->x);

	if (v < 0 || v > 2)
		val_cfind(ctx, r, "version", "version field %ld", v);
}

static void
chk_version_ext(struct val_cctx *ctx, const struct val_rule *r)
{
	long	 v = X509_get_version(ctx->x);

	if (v != 2 && X509_get_ext_count(ctx->x) > 0)
		val_cfind(ctx, r, "version", "version field %ld with "
		    "extensions", v);
}

static void
chk_uid(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_BIT_STRING	*iuid = NULL, *suid = NULL;

	X509_get0_uids(ctx->x, &iuid, &suid);
	if (iuid != NULL)
		val_cfind(ctx, r, "issuerUniqueID", NULL);
	if (suid != NULL)
		val_cfind(ctx, r, "subjectUniqueID", NULL);
}

static void
chk_serial_pos(struct val_cctx *ctx, const struct val_rule *r)
{
	const ASN1_INTEGER	*s = X509_get0_serialNumber(ctx->x);
	size_t			 i;
	int			 zero = 1;

	for (i = 0; i < (size_t)s->length; i++)
		if (s->data[i] != 0)
			zero = 0;
	if (s->type == V_ASN1_NEG_INTEGER)
		val_cfind(ctx, r, "serialNumber", "negative");
	else if (zero)
		val_cfind(ctx, r, "serialNumber", "zero");
}

/* Octets of the DER content of a serial number. */
static int
serial_octets(const ASN1_INTEGER *s)
{
	int	 n = s->length;

	if (n > 0 && s->type != V_ASN1_NEG_INTEGER && (s->data[0] & 0x80))
		n++;		/* a leading zero octet in DER */
	return n;
}

static void
chk_serial_len(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 n = serial_octets(X509_get0_serialNumber(ctx->x));

	if (n > 20)
		val_cfind(ctx, r, "serialNumber", "%d octets", n);
}

static void
chk_sigalg(struct val_cctx *ctx, const struct val_rule *r)
{
	const X509_ALGOR	*in, *outer;
	const ASN1_BIT_STRING	*sig;

	in = X509_get0_tbs_sigalg(ctx->x);
	X509_get0_signature(&sig, &outer, ctx->x);
	if (X509_ALGOR_cmp(in, outer) != 0)
		val_cfind(ctx, r, "signatureAlgorithm", "differs from "
		    "tbsCertificate.signature");
}

static void
chk_ext_count(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 n = X509_get_ext_count(ctx->x);

	if (n > ctx->nexts)
		val_cfind(ctx, r, "extensions", "%d extensions, limit %d; "
		    "only the first %d were examined", n, ctx->nexts,
		    ctx->nexts);
}

const struct val_check val_checks_struct[] = {
	{ "CERT-DER-STRICT", chk_der },
	{ "CERT-KEY-UNDECODABLE", chk_key },
	{ "CERT-VERSION-INVALID", chk_version },
	{ "CERT-VERSION-EXT-NOT-V3", chk_version_ext },
	{ "CERT-UNIQUE-ID", chk_uid },
	{ "CERT-SERIAL-NOT-POSITIVE", chk_serial_pos },
	{ "CERT-SERIAL-TOO-LONG", chk_serial_len },
	{ "CERT-SIG-ALG-MISMATCH", chk_sigalg },
	{ "CERT-EXT-TOO-MANY", chk_ext_count },
	{ NULL, NULL }
};
