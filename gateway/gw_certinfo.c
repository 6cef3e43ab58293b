/*
 * gw_certinfo.c: what a certificate shows about itself, for the dossier
 * checks and the relying-party lookup: its certificate type (ETSI EN 319
 * 412-5 QCStatements, else key usage) and its key algorithm and size.
 *
 * QCStatements (id-pe-qcStatements, 1.3.6.1.5.5.7.1.3) is parsed with our
 * own ASN.1 template: SEQUENCE OF QCStatement { statementId OBJECT
 * IDENTIFIER, statementInfo ANY OPTIONAL }.  QcType's statementInfo is a
 * SEQUENCE OF OBJECT IDENTIFIER.  A statements extension that does not
 * decode counts as absent (the linter reports malformed extensions).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "gw_svc.h"

#define OID_QCSTATEMENTS	"1.3.6.1.5.5.7.1.3"
#define OID_QC_COMPLIANCE	"0.4.0.1862.1.1"
#define OID_QC_TYPE		"0.4.0.1862.1.6"
#define OID_QC_TYPE_ESIGN	"0.4.0.1862.1.6.1"
#define OID_QC_TYPE_ESEAL	"0.4.0.1862.1.6.2"
#define OID_SM2			"1.2.156.10197.1.301"

typedef struct gw_qcstatement_st {
	ASN1_OBJECT	*id;
	ASN1_TYPE	*info;
} GW_QCSTATEMENT;

ASN1_SEQUENCE(GW_QCSTATEMENT) = {
	ASN1_SIMPLE(GW_QCSTATEMENT, id, ASN1_OBJECT),
	ASN1_OPT(GW_QCSTATEMENT, info, ASN1_ANY)
} static_ASN1_SEQUENCE_END(GW_QCSTATEMENT)

typedef STACK_OF(GW_QCSTATEMENT) GW_QCSTATEMENTS;
DEFINE_STACK_OF(GW_QCSTATEMENT)

ASN1_ITEM_TEMPLATE(GW_QCSTATEMENTS) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, statements,
	    GW_QCSTATEMENT)
static_ASN1_ITEM_TEMPLATE_END(GW_QCSTATEMENTS)

typedef STACK_OF(ASN1_OBJECT) GW_OIDS;

ASN1_ITEM_TEMPLATE(GW_OIDS) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, oids, ASN1_OBJECT)
static_ASN1_ITEM_TEMPLATE_END(GW_OIDS)

static int
oid_is(const ASN1_OBJECT *o, const char *dotted)
{
	char	 buf[80];

	if (OBJ_obj2txt(buf, sizeof(buf), o, 1) <= 0)
		return 0;
	return strcmp(buf, dotted) == 0;
}

/* Scans the QcType statement's OIDs: sets esign and eseal. */
static void
qc_types(const ASN1_TYPE *info, int *esign, int *eseal)
{
	const unsigned char	*p;
	STACK_OF(ASN1_OBJECT)	*oids;
	int			 i;

	if (info == NULL || info->type != V_ASN1_SEQUENCE)
		return;
	p = info->value.sequence->data;
	oids = (STACK_OF(ASN1_OBJECT) *)ASN1_item_d2i(NULL, &p,
	    info->value.sequence->length, ASN1_ITEM_rptr(GW_OIDS));
	if (oids == NULL)
		return;
	for (i = 0; i < sk_ASN1_OBJECT_num(oids); i++) {
		if (oid_is(sk_ASN1_OBJECT_value(oids, i), OID_QC_TYPE_ESIGN))
			*esign = 1;
		if (oid_is(sk_ASN1_OBJECT_value(oids, i), OID_QC_TYPE_ESEAL))
			*eseal = 1;
	}
	ASN1_item_free((ASN1_VALUE *)oids, ASN1_ITEM_rptr(GW_OIDS));
}

/* 1 when x is a qualified certificate; esign and eseal from QcType. */
static int
qc_info(X509 *x, int *esign, int *eseal)
{
	const X509_EXTENSION	*ext;
	const ASN1_OCTET_STRING	*val;
	const unsigned char	*p;
	ASN1_OBJECT		*oid;
	STACK_OF(GW_QCSTATEMENT) *sts;
	GW_QCSTATEMENT		*st;
	int			 i, loc, compliance = 0;

	*esign = *eseal = 0;
	if ((oid = OBJ_txt2obj(OID_QCSTATEMENTS, 1)) == NULL)
		return 0;
	loc = X509_get_ext_by_OBJ(x, oid, -1);
	ASN1_OBJECT_free(oid);
	if (loc < 0 || (ext = X509_get_ext(x, loc)) == NULL)
		return 0;
	val = X509_EXTENSION_get_data((X509_EXTENSION *)ext);
	p = ASN1_STRING_get0_data(val);
	sts = (STACK_OF(GW_QCSTATEMENT) *)ASN1_item_d2i(NULL, &p,
	    ASN1_STRING_length(val), ASN1_ITEM_rptr(GW_QCSTATEMENTS));
	if (sts == NULL)
		return 0;
	for (i = 0; i < sk_GW_QCSTATEMENT_num(sts); i++) {
		st = sk_GW_QCSTATEMENT_value(sts, i);
		if (oid_is(st->id, OID_QC_COMPLIANCE))
			compliance = 1;
		else if (oid_is(st->id, OID_QC_TYPE))
			qc_types(st->info, esign, eseal);
	}
	ASN1_item_free((ASN1_VALUE *)sts, ASN1_ITEM_rptr(GW_QCSTATEMENTS));
	return compliance;
}

const char *
gw_cert_type(X509 *x)
{
	uint32_t	 ku;
	int		 esign, eseal;

	/* Caches the extensions before flags are read. */
	X509_check_purpose(x, -1, 0);
	if (qc_info(x, &esign, &eseal)) {
		if (eseal && !esign)
			return "qualified-eseal";
		return "qualified-esig";
	}
	ku = X509_get_key_usage(x);
	if ((X509_get_extension_flags(x) & EXFLAG_CA) &&
	    (ku & KU_KEY_CERT_SIGN))
		return "ca";
	if (!(X509_get_extension_flags(x) & EXFLAG_KUSAGE))
		return "other";
	if (ku & KU_NON_REPUDIATION)
		return "esig";
	if (ku & KU_DIGITAL_SIGNATURE)
		return "eseal";
	return "other";
}

int
gw_key_algorithm(X509 *x, char *buf, size_t len)
{
	EVP_PKEY	*k;
	char		 curve[80];
	size_t		 clen = 0;
	int		 rc = -1;

	buf[0] = '\0';
	if ((k = X509_get0_pubkey(x)) == NULL)
		return -1;
	if (EVP_PKEY_is_a(k, "RSA")) {
		snprintf(buf, len, "rsa-%d", EVP_PKEY_get_bits(k));
		return 0;
	}
	if (EVP_PKEY_is_a(k, "SM2")) {
		snprintf(buf, len, "sm2");
		return 0;
	}
	if (EVP_PKEY_is_a(k, "ED25519")) {
		snprintf(buf, len, "ed25519");
		return 0;
	}
	if (EVP_PKEY_is_a(k, "ED448")) {
		snprintf(buf, len, "ed448");
		return 0;
	}
	if (EVP_PKEY_is_a(k, "EC") && EVP_PKEY_get_utf8_string_param(k,
	    "group", curve, sizeof(curve), &clen) == 1) {
		rc = 0;
		if (strcmp(curve, "prime256v1") == 0 ||
		    strcmp(curve, "P-256") == 0)
			snprintf(buf, len, "ec-p256");
		else if (strcmp(curve, "secp384r1") == 0 ||
		    strcmp(curve, "P-384") == 0)
			snprintf(buf, len, "ec-p384");
		else if (strcmp(curve, "secp521r1") == 0 ||
		    strcmp(curve, "P-521") == 0)
			snprintf(buf, len, "ec-p521");
		else if (strcmp(curve, "SM2") == 0)
			snprintf(buf, len, "sm2");
		else {
			snprintf(buf, len, "ec-%s", curve);
			rc = -1;
		}
	}
	return rc;
}
