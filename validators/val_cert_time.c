/*
 * val_cert_time.c: validity: the encoding RFC 5280 4.1.2.5 requires
 * (UTCTime through 2049, GeneralizedTime from 2050, "Z", seconds, no
 * fractions), the order of the two dates, a maximum length, and the
 * certificate's validity at the time the caller gives.
 */
#include <ctype.h>
#include <string.h>

#include "val_cert_int.h"

/* Digits-only check of n bytes. */
static int
alldigits(const unsigned char *s, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (!isdigit(s[i]))
			return 0;
	return 1;
}

/* Year of a time's text, or -1. */
static int
time_year(const ASN1_TIME *t)
{
	const unsigned char	*d = t->data;
	int			 y;

	if (t->type == V_ASN1_UTCTIME) {
		if (t->length < 2 || !alldigits(d, 2))
			return -1;
		y = (d[0] - '0') * 10 + (d[1] - '0');
		return y < 50 ? 2000 + y : 1900 + y;
	}
	if (t->length < 4 || !alldigits(d, 4))
		return -1;
	return ((d[0] - '0') * 1000 + (d[1] - '0') * 100 +
	    (d[2] - '0') * 10 + (d[3] - '0'));
}

static void
one_form(struct val_cctx *ctx, const struct val_rule *r, const char *path,
    const ASN1_TIME *t)
{
	int	 want = t->type == V_ASN1_UTCTIME ? 13 : 15;
	time_t	 v;

	if (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME) {
		val_cfind(ctx, r, path, "neither UTCTime nor "
		    "GeneralizedTime");
		return;
	}
	if (t->length != want || !alldigits(t->data, want - 1) ||
	    t->data[want - 1] != 'Z' || val_asn1_time(t, &v) != 0)
		val_cfind(ctx, r, path, "'%.*s' is not %s", t->length > 32 ?
		    32 : t->length, (const char *)t->data,
		    want == 13 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ");
}

static void
chk_form(struct val_cctx *ctx, const struct val_rule *r)
{
	one_form(ctx, r, "validity.notBefore", X509_get0_notBefore(ctx->x));
	one_form(ctx, r, "validity.notAfter", X509_get0_notAfter(ctx->x));
}

static void
one_choice(struct val_cctx *ctx, const struct val_rule *r, const char *path,
    const ASN1_TIME *t)
{
	int	 y = time_year(t);

	if (y < 0)
		return;		/* the form check reports it */
	if (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)
		if ((y >= 2050) != (t->type == V_ASN1_GENERALIZEDTIME))
			val_cfind(ctx, r, path, "year %d as %s", y,
			    t->type == V_ASN1_UTCTIME ? "UTCTime" :
			    "GeneralizedTime");
}

static void
chk_choice(struct val_cctx *ctx, const struct val_rule *r)
{
	one_choice(ctx, r, "validity.notBefore",
	    X509_get0_notBefore(ctx->x));
	one_choice(ctx, r, "validity.notAfter", X509_get0_notAfter(ctx->x));
}

/* Both dates, or -1 when either does not parse. */
static int
dates(struct val_cctx *ctx, time_t *nb, time_t *na)
{
	if (val_asn1_time(X509_get0_notBefore(ctx->x), nb) != 0 ||
	    val_asn1_time(X509_get0_notAfter(ctx->x), na) != 0)
		return -1;
	return 0;
}

static void
chk_order(struct val_cctx *ctx, const struct val_rule *r)
{
	time_t	 nb, na;

	if (dates(ctx, &nb, &na) == 0 && na < nb)
		val_cfind(ctx, r, "validity", "notAfter before notBefore");
}

static void
chk_too_long(struct val_cctx *ctx, const struct val_rule *r)
{
	time_t	 nb, na;
	long	 max, days;

	if (dates(ctx, &nb, &na) != 0 || na < nb)
		return;
	max = val_param_int(ctx->p, ctx->role == VAL_ROLE_CA ?
	    "max_validity_days_ca" : "max_validity_days_ee", -1);
	if (max < 0)
		return;
	/* Inclusive of notAfter's second (RFC 5280 4.1.2.5). */
	days = (long)((na - nb + 1 + 86399) / 86400);
	if (days > max)
		val_cfind(ctx, r, "validity", "%ld days for a %s, at most %ld",
		    days, val_role_name(ctx->role), max);
}

static void
chk_not_yet(struct val_cctx *ctx, const struct val_rule *r)
{
	char	 b[VAL_TIME_LEN], n[VAL_TIME_LEN];
	time_t	 nb, na;

	if (dates(ctx, &nb, &na) == 0 && ctx->now < nb) {
		val_time_format(nb, b);
		val_time_format(ctx->now, n);
		val_cfind(ctx, r, "validity.notBefore", "%s is after %s", b,
		    n);
	}
}

static void
chk_expired(struct val_cctx *ctx, const struct val_rule *r)
{
	char	 a[VAL_TIME_LEN], n[VAL_TIME_LEN];
	time_t	 nb, na;

	if (dates(ctx, &nb, &na) == 0 && ctx->now > na) {
		val_time_format(na, a);
		val_time_format(ctx->now, n);
		val_cfind(ctx, r, "validity.notAfter", "%s is before %s", a,
		    n);
	}
}

const struct val_check val_checks_time[] = {
	{ "CERT-TIME-FORMAT", chk_form },
	{ "CERT-TIME-ENCODING", chk_choice },
	{ "CERT-VALIDITY-NEGATIVE", chk_order },
	{ "CERT-VALIDITY-TOO-LONG", chk_too_long },
	{ "CERT-NOT-YET-VALID", chk_not_yet },
	{ "CERT-EXPIRED", chk_expired },
	{ NULL, NULL }
};
