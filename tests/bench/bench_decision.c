/*
 * bench_decision.c: signed decisions (sign, verify; SM2 and ECDSA P-256)
 * and revocation checks of a three-certificate chain with supplied CRLs
 * (cold: signatures checked; warm: remembered), one thread, each for
 * about SECONDS seconds.  Usage: bench_decision FIXTURES [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>

#include "gw.h"

#define T0	1780272000L

static double	 secs = 2.0;

static double
clock_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const char *err)
{
	fprintf(stderr, "bench_decision: %s: %s\n", what, err);
	exit(1);
}

static void
bench_decisions(const char *fix, const char *name)
{
	struct gw_signer	*s;
	struct val_report	 rep;
	struct gw_decision	 d = { .decision_id = "dec-bench",
	    .dossier_id = "dos-bench", .action = "approve",
	    .ca_legal_name = "Bench CA", .decided_at = T0 };
	char			 k[512], c[512], err[256];
	unsigned char		*der = NULL;
	size_t			 len;
	json_t			*doc, *out;
	double			 t0, t;
	long			 n;

	snprintf(k, sizeof(k), "%s/signer/%s.key", fix, name);
	snprintf(c, sizeof(c), "%s/signer/%s.pem", fix, name);
	if ((s = gw_signer_load(k, c, err, sizeof(err))) == NULL)
		die(name, err);
	if ((doc = gw_decision_doc(&d, err, sizeof(err))) == NULL)
		die("doc", err);
	for (n = 0, t0 = clock_s(); (t = clock_s() - t0) < secs; n++) {
		free(der);
		if (gw_decision_sign(s, doc, T0, &der, &len, err,
		    sizeof(err)) != 0)
			die("sign", err);
	}
	printf("decision %-18s sign   %8.0f/s  (%zu bytes DER)\n",
	    gw_sig_alg_name(gw_signer_alg(s)), n / t, len);
	for (n = 0, t0 = clock_s(); (t = clock_s() - t0) < secs; n++) {
		val_report_init(&rep);
		out = NULL;
		if (gw_decision_verify(der, len, gw_signer_cert(s), &out, NULL,
		    &rep) != 0 || rep.n != 0)
			die("verify", "findings");
		json_decref(out);
		val_report_clear(&rep);
	}
	printf("decision %-18s verify %8.0f/s\n",
	    gw_sig_alg_name(gw_signer_alg(s)), n / t);
	free(der);
	json_decref(doc);
	gw_signer_free(s);
}

static X509 *
load(const char *fix, const char *alg, const char *name)
{
	char	 p[512];
	FILE	*fp;
	X509	*x;

	snprintf(p, sizeof(p), "%s/revoc/%s/%s", fix, alg, name);
	if ((fp = fopen(p, "r")) == NULL ||
	    (x = PEM_read_X509(fp, NULL, NULL, NULL)) == NULL)
		die(p, "cannot read");
	fclose(fp);
	return x;
}

static void
bench_revoc(const char *fix, const char *alg)
{
	static const char *const files[] = { "ica.crl", "root.crl" };
	struct gw_revoc_policy		 pol;
	struct gw_revoc			*r;
	struct gw_revoc_supplied	*sup = NULL;
	struct gw_revoc_result		 res[2];
	struct val_report		 rep;
	STACK_OF(X509)			*ch = sk_X509_new_null();
	unsigned char			*b;
	size_t				 n;
	char				 p[512], err[256];
	double				 t0, t;
	long				 i;
	int				 k, warm;

	for (k = 0; k < 2; k++) {
		snprintf(p, sizeof(p), "%s/revoc/%s/%s", fix, alg, files[k]);
		if (val_read_file(p, 1 << 20, &b, &n, err, sizeof(err)) != 0 ||
		    gw_revoc_supplied_add_crl(&sup, b, n, err,
		    sizeof(err)) != 0)
			die(p, err);
		free(b);
	}
	sk_X509_push(ch, load(fix, alg, "good.pem"));
	sk_X509_push(ch, load(fix, alg, "ica.pem"));
	sk_X509_push(ch, load(fix, alg, "root.pem"));
	memset(&pol, 0, sizeof(pol));
	for (warm = 0; warm < 2; warm++) {
		r = gw_revoc_new(&pol);
		for (i = 0, t0 = clock_s(); (t = clock_s() - t0) < secs; i++) {
			val_report_init(&rep);
			if (gw_revoc_check(warm ? r : NULL, ch, sup, T0, T0,
			    res, 2, &rep) != 0 || rep.n != 0)
				die("revoc", "findings");
			val_report_clear(&rep);
		}
		printf("revocation %-4s chain of 3, supplied CRLs, %s "
		    "%8.0f/s\n", alg, warm ? "warm (remembered)" :
		    "cold (verified) ", i / t);
		gw_revoc_free(r);
	}
	sk_X509_pop_free(ch, X509_free);
	gw_revoc_supplied_free(sup);
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_decision FIXTURES [SECONDS]\n");
		return 2;
	}
	if (argc > 2)
		secs = atof(argv[2]);
	bench_decisions(argv[1], "sm2");
	bench_decisions(argv[1], "ecdsa");
	bench_revoc(argv[1], "p256");
	bench_revoc(argv[1], "sm2");
	return 0;
}
