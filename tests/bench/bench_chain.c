/*
 * bench_chain.c: chains/s through val_chain_check() against bare
 * X509_verify_cert() on the same parsed chains, in the same run.
 *
 * usage: bench_chain PKI_DIR [SECONDS [ALG]]
 *
 * For each algorithm folder (sm2, p256, rsa) of the fixture PKI, with and
 * without CRLs: the certificates and CRLs are parsed once; "bare" reuses
 * one X509_STORE and sets the same flags val_chain_check() does (time,
 * X509_STRICT, policy check with anyPolicy, CRL_CHECK_ALL + extended CRLs
 * + deltas when CRLs are given); "xbrg" calls val_chain_check() (its own
 * store, SM2 IDs, the verify callback, findings).  Batches of the two
 * alternate, so that load from other processes hits both alike.  Prints
 * one line per case:
 *   case <alg>[+crl] bare <chains/s> xbrg <chains/s> overhead <percent>
 * Bare cannot check SM2-signed CRLs (OpenSSL 3.0 has no ID for them), so
 * sm2+crl has no bare figure; the SM2 CRLs are verified once beforehand
 * (val_crls_sm2_prepare(), as a server does at load time), and
 * sm2+crl-noprep shows the rate without that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "val.h"

#define BENCH_BATCH	16

struct bcase {
	struct val_certs	 anchors, pool, leaf;
	struct val_crls		 crls;
	X509_STORE		*store;
	STACK_OF(X509)		*untrusted;
	STACK_OF(X509_CRL)	*crlsk;
	int			 with_crls;
};

/*
 * CPU time of this thread: rates are chains per CPU-second, so that time
 * the scheduler gives to other processes on this shared machine does not
 * count (wall time is used only to bound the run).
 */
static double
cpu(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
load(const char *dir, const char *alg, const char *name,
    struct val_certs *out)
{
	char	 path[2048], err[512];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, alg, name);
	if (val_certs_load_file(path, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_chain: %s\n", err);
		exit(2);
	}
}

static int
bare_once(struct bcase *c, time_t at)
{
	X509_STORE_CTX		*ctx;
	X509_VERIFY_PARAM	*param;
	ASN1_OBJECT		*any;
	unsigned long		 flags;
	int			 ok;

	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, c->store, c->leaf.v[0].x509,
	    c->untrusted))
		exit(2);
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, at);
	any = OBJ_txt2obj(VAL_ANY_POLICY, 1);
	X509_VERIFY_PARAM_add0_policy(param, any);
	flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_POLICY_CHECK;
	if (c->with_crls) {
		X509_STORE_CTX_set0_crls(ctx, c->crlsk);
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL |
		    X509_V_FLAG_EXTENDED_CRL_SUPPORT | X509_V_FLAG_USE_DELTAS;
	}
	X509_VERIFY_PARAM_set_flags(param, flags);
	ok = X509_verify_cert(ctx);
	X509_STORE_CTX_free(ctx);
	return ok == 1;
}

static int
xbrg_once(struct bcase *c, time_t at)
{
	struct val_chain_in	 in;
	struct val_report	 rep;
	int			 ok;

	memset(&in, 0, sizeof(in));
	in.leaf = c->leaf.v[0].x509;
	in.anchors = &c->anchors;
	in.untrusted = &c->pool;
	in.crls = c->with_crls ? &c->crls : NULL;
	in.at = at;
	val_report_init(&rep);
	ok = val_chain_check(&in, NULL, &rep) == 0 &&
	    val_report_verdict(&rep) != VAL_VERDICT_FAIL;
	val_report_clear(&rep);
	return ok;
}

/*
 * Interleaves batches of bare and xbrg calls for about secs seconds in all,
 * so that load from other processes hits both alike; rates in chains per
 * CPU-second.
 */
static void
rates(struct bcase *c, time_t at, double secs, int bare_ok, double *rb,
    double *rx)
{
	double	 tb = 0, tx = 0, t0, start = now();
	long	 nb = 0, nx = 0;
	int	 i;

	do {
		if (bare_ok) {
			t0 = cpu();
			for (i = 0; i < BENCH_BATCH; i++)
				if (!bare_once(c, at))
					goto bad;
			tb += cpu() - t0;
			nb += BENCH_BATCH;
		}
		t0 = cpu();
		for (i = 0; i < BENCH_BATCH; i++)
			if (!xbrg_once(c, at))
				goto bad;
		tx += cpu() - t0;
		nx += BENCH_BATCH;
	} while (now() - start < secs);
	*rb = bare_ok ? (double)nb / tb : 0;
	*rx = (double)nx / tx;
	return;
 bad:
	fprintf(stderr, "bench_chain: a chain did not validate\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	static const char *const algs[] = { "sm2", "p256", "rsa" };
	struct bcase	 c;
	double		 secs, best_b, best_x;
	char		 path[2048], err[512];
	time_t		 at;
	size_t		 a, i;
	int		 crl, bare_ok;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_chain PKI_DIR [SECONDS "
		    "[ALG]]\n");
		return 2;
	}
	secs = argc > 2 ? atof(argv[2]) : 2;
	if (val_time_parse("2026-01-01T00:00:00Z", &at) != 0)
		return 2;
	for (a = 0; a < 3; a++)
		for (crl = 0; crl < 3; crl++) {
			if (argc > 3 && strcmp(argv[3], algs[a]) != 0)
				continue;
			/* 2: SM2 CRLs not prepared (verified on each call). */
			if (crl == 2 && a != 0)
				continue;
			memset(&c, 0, sizeof(c));
			c.with_crls = crl != 0;
			load(argv[1], algs[a], "root.pem", &c.anchors);
			load(argv[1], algs[a], "ica.pem", &c.pool);
			load(argv[1], algs[a], "leaf.pem", &c.leaf);
			snprintf(path, sizeof(path), "%s/%s/good.crl", argv[1],
			    algs[a]);
			if (val_crls_load_file(path, &c.crls, err,
			    sizeof(err)) != 0) {
				fprintf(stderr, "bench_chain: %s\n", err);
				return 2;
			}
			/* IDs once, as a server would at load time. */
			if (val_chain_sm2_prepare(&c.anchors) != 0 ||
			    val_chain_sm2_prepare(&c.pool) != 0 ||
			    val_chain_sm2_prepare(&c.leaf) != 0)
				return 2;
			/* SM2 CRLs verified once, too (both CAs' keys). */
			if (crl != 2 &&
			    (val_crls_sm2_prepare(&c.crls, &c.anchors) < 0 ||
			    val_crls_sm2_prepare(&c.crls, &c.pool) < 0))
				return 2;
			c.store = X509_STORE_new();
			c.untrusted = sk_X509_new_null();
			c.crlsk = sk_X509_CRL_new_null();
			if (c.store == NULL || c.untrusted == NULL ||
			    c.crlsk == NULL ||
			    !X509_STORE_add_cert(c.store, c.anchors.v[0].x509) ||
			    !sk_X509_push(c.untrusted, c.pool.v[0].x509))
				return 2;
			for (i = 0; i < c.crls.n; i++)
				if (!sk_X509_CRL_push(c.crlsk, c.crls.v[i].crl))
					return 2;
			bare_ok = !(crl != 0 && a == 0);
			rates(&c, at, secs, bare_ok, &best_b, &best_x);
			if (bare_ok)
				printf("case %s%s bare %.0f xbrg %.0f overhead "
				    "%.1f%%\n", algs[a], crl ? "+crl" : "",
				    best_b, best_x, (best_b / best_x - 1) * 100);
			else
				printf("case %s%s bare - xbrg %.0f overhead -\n",
				    algs[a], crl == 2 ? "+crl-noprep" : "+crl",
				    best_x);
			fflush(stdout);
			sk_X509_CRL_free(c.crlsk);
			sk_X509_free(c.untrusted);
			X509_STORE_free(c.store);
			val_crls_free(&c.crls);
			val_certs_free(&c.leaf);
			val_certs_free(&c.pool);
			val_certs_free(&c.anchors);
		}
	return 0;
}
