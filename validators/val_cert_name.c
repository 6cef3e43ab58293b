/*
 * val_cert_name.c: issuer and subject names (RFC 5280 4.1.2.4, 4.1.2.6,
 * Appendix A): emptiness, the SAN an empty subject needs, attribute
 * string types, the PrintableString alphabet and upper bounds.
 */
#include <string.h>

#include <openssl/x509v3.h>

#include "val_cert_int.h"

/* Upper bounds of RFC 5280 Appendix A (characters). */
static const struct {
	int	 nid;
	int	 max;
} ubs[] = {
	{ NID_commonName, 64 },
	{ NID_localityName, 128 },
	{ NID_stateOrProvinceName, 128 },
	{ NID_organizationName, 64 },
	{ NID_organizationalUnitName, 64 },
	{ NID_title, 64 },
	{ NID_serialNumber, 64 },
	{ NID_pkcs9_emailAddress, 255 },
	{ NID_postalCode, 40 },
	{ NID_name, 32768 },
	{ NID_surname, 32768 },
	{ NID_givenName, 32768 },
	{ NID_initials, 32768 },
	{ NID_generationQualifier, 32768 },
	{ NID_pseudonym, 128 },
};

static int
is_printable(const ASN1_STRING *s)
{
	int	 i;
	int	 ch;

	for (i = 0; i < s->length; i++) {
		ch = s->data[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr(" '()+,-./:=?", ch) !=
		    NULL)
			continue;
		return 0;
	}
	return 1;
}

/* Characters of a string, by encoding unit. */
static int
nchars(const ASN1_STRING *s)
{
	int	 i, n = 0;

	switch (s->type) {
	case V_ASN1_BMPSTRING:
		return s->length / 2;
	case V_ASN1_UNIVERSALSTRING:
		return s->length / 4;
	case V_ASN1_UTF8STRING:
		for (i = 0; i < s->length; i++)
			if ((s->data[i] & 0xc0) != 0x80)
				n++;
		return n;
	default:
		return s->length;
	}
}

static const char *
attr_name(int nid, char *buf, size_t len, const ASN1_OBJECT *o)
{
	const char	*sn = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;

	if (sn != NULL)
		return sn;
	OBJ_obj2txt(buf, (int)len, o, 1);
	return buf;
}

/* which: 0 issuer, 1 subject; kind: what to check. */
enum dnchk { DN_TYPE, DN_COUNTRY, DN_PRINTABLE, DN_LENGTH };

static void
dn_walk(struct val_cctx *ctx, const struct val_rule *r, enum dnchk kind)
{
	const X509_NAME		*nm;
	const X509_NAME_ENTRY	*e;
	const ASN1_STRING	*v;
	const ASN1_OBJECT	*o;
	char			 path[64], nbuf[80];
	int			 w, i, n, nid, t, ok;
	size_t			 k;

	for (w = 0; w < 2; w++) {
		nm = w == 0 ? X509_get_issuer_name(ctx->x) :
		    X509_get_subject_name(ctx->x);
		n = X509_NAME_entry_count(nm);
		for (i = 0; i < n; i++) {
			e = X509_NAME_get_entry(nm, i);
			o = X509_NAME_ENTRY_get_object(e);
			v = X509_NAME_ENTRY_get_data(e);
			nid = OBJ_obj2nid(o);
			t = v->type;
			snprintf(path, sizeof(path), "%s[%d]", w == 0 ?
			    "issuer" : "subject", i);
			switch (kind) {
			case DN_TYPE:
				if (nid == NID_countryName ||
				    nid == NID_serialNumber ||
				    nid == NID_dnQualifier)
					ok = t == V_ASN1_PRINTABLESTRING;
				else if (nid == NID_pkcs9_emailAddress ||
				    nid == NID_domainComponent)
					ok = t == V_ASN1_IA5STRING;
				else if (nid == NID_undef)
					ok = 1;	/* unknown syntax */
				else
					ok = t == V_ASN1_PRINTABLESTRING ||
					    t == V_ASN1_UTF8STRING ||
					    t == V_ASN1_BMPSTRING ||
					    t == V_ASN1_T61STRING ||
					    t == V_ASN1_UNIVERSALSTRING;
				if (!ok && nid != NID_countryName)
					val_cfind(ctx, r, path, "%s as %s",
					    attr_name(nid, nbuf, sizeof(nbuf),
					    o), ASN1_tag2str(t));
				break;
			case DN_COUNTRY:
				if (nid == NID_countryName &&
				    (t != V_ASN1_PRINTABLESTRING ||
				    v->length != 2))
					val_cfind(ctx, r, path, "C as %s of "
					    "%d octets", ASN1_tag2str(t),
					    v->length);
				break;
			case DN_PRINTABLE:
				if (t == V_ASN1_PRINTABLESTRING &&
				    !is_printable(v))
					val_cfind(ctx, r, path, "%s has "
					    "characters outside "
					    "PrintableString",
					    attr_name(nid, nbuf, sizeof(nbuf),
					    o));
				break;
			case DN_LENGTH:
				for (k = 0; k < sizeof(ubs) / sizeof(ubs[0]);
				    k++)
					if (ubs[k].nid == nid &&
					    nchars(v) > ubs[k].max)
						val_cfind(ctx, r, path,
						    "%s of %d characters, "
						    "at most %d",
						    OBJ_nid2sn(nid), nchars(v),
						    ubs[k].max);
				break;
			}
		}
	}
}

static void
chk_type(struct val_cctx *ctx, const struct val_rule *r)
{
	dn_walk(ctx, r, DN_TYPE);
}

static void
chk_country(struct val_cctx *ctx, const struct val_rule *r)
{
	dn_walk(ctx, r, DN_COUNTRY);
}

static void
chk_printable(struct val_cctx *ctx, const struct val_rule *r)
{
	dn_walk(ctx, r, DN_PRINTABLE);
}

static void
chk_length(struct val_cctx *ctx, const struct val_rule *r)
{
	dn_walk(ctx, r, DN_LENGTH);
}

static void
chk_issuer_empty(struct val_cctx *ctx, const struct val_rule *r)
{
	if (X509_NAME_entry_count(X509_get_issuer_name(ctx->x)) == 0)
		val_cfind(ctx, r, "issuer", NULL);
}

static int
subject_empty(const struct val_cctx *ctx)
{
	return X509_NAME_entry_count(X509_get_subject_name(ctx->x)) == 0;
}

static void
chk_empty_no_san(struct val_cctx *ctx, const struct val_rule *r)
{
	if (subject_empty(ctx) && val_ext_find(ctx, NID_subject_alt_name,
	    NULL) < 0)
		val_cfind(ctx, r, "subject", NULL);
}

static void
chk_empty_san_crit(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 crit;

	if (subject_empty(ctx) && val_ext_find(ctx, NID_subject_alt_name,
	    &crit) >= 0 && !crit)
		val_cfind(ctx, r, "extensions.subjectAltName", NULL);
}

static void
chk_san_crit_subject(struct val_cctx *ctx, const struct val_rule *r)
{
	int	 crit;

	if (!subject_empty(ctx) && val_ext_find(ctx, NID_subject_alt_name,
	    &crit) >= 0 && crit)
		val_cfind(ctx, r, "extensions.subjectAltName", NULL);
}

static void
chk_ca_subject(struct val_cctx *ctx, const struct val_rule *r)
{
	if (ctx->role == VAL_ROLE_CA && subject_empty(ctx))
		val_cfind(ctx, r, "subject", NULL);
}

const struct val_check val_checks_name[] = {
	{ "CERT-ISSUER-EMPTY", chk_issuer_empty },
	{ "CERT-SUBJECT-EMPTY-NO-SAN", chk_empty_no_san },
	{ "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL", chk_empty_san_crit },
	{ "CERT-SAN-CRITICAL-WITH-SUBJECT", chk_san_crit_subject },
	{ "CERT-CA-SUBJECT-EMPTY", chk_ca_subject },
	{ "CERT-DN-STRING-TYPE", chk_type },
	{ "CERT-DN-COUNTRY", chk_country },
	{ "CERT-DN-PRINTABLE-CHARS", chk_printable },
	{ "CERT-DN-LENGTH", chk_length },
	{ NULL, NULL }
};
