/*
 * bench_lint.c: where the time of `xbrg lint` goes.  Reads every file
 * named on the command line into memory once, then times, over ROUNDS
 * rounds: bare d2i_X509 of each certificate's DER, our loader
 * (val_certs_load_mem: PEM decoding, d2i_X509, strict-DER walk), and the
 * rfc5280 / gmt0015 / intl checks on certificates already parsed.
 * Prints certificates per second for each.  A bench tool: exits on error.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "val.h"

#define ROUNDS	5

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	static const char *const pn[] = { "rfc5280", "gmt0015", "intl" };
	unsigned char		**buf;
	size_t			*len, ncert = 0, i, j;
	struct val_certs	 all = { NULL, 0 }, tmp;
	struct val_report	 rep;
	struct val_profile	*p;
	char			 e[512];
	double			 t0, t;
	int			 r, k, nfiles = argc - 1;

	if (nfiles < 1)
		errx(2, "usage: bench_lint FILE...");
	if ((buf = calloc(nfiles, sizeof(*buf))) == NULL ||
	    (len = calloc(nfiles, sizeof(*len))) == NULL)
		err(1, NULL);
	for (k = 0; k < nfiles; k++) {
		if (val_read_file(argv[k + 1], VAL_MAX_INPUT_BYTES, &buf[k],
		    &len[k], e, sizeof(e)) != 0)
			errx(1, "%s", e);
		if (val_certs_load_mem(buf[k], len[k], argv[k + 1], &all, e,
		    sizeof(e)) != 0)
			errx(1, "%s", e);
	}
	ncert = all.n;

	t0 = now();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < all.n; i++) {
			const unsigned char *q = all.v[i].der;
			X509 *x = d2i_X509(NULL, &q, (long)all.v[i].der_len);

			if (x == NULL)
				errx(1, "d2i_X509");
			X509_free(x);
		}
	t = now() - t0;
	printf("d2i_X509 alone:        %8.0f certs/s (%.1f us/cert)\n",
	    ROUNDS * ncert / t, 1e6 * t / (ROUNDS * ncert));

	t0 = now();
	for (r = 0; r < ROUNDS; r++)
		for (k = 0; k < nfiles; k++) {
			memset(&tmp, 0, sizeof(tmp));
			if (val_certs_load_mem(buf[k], len[k], argv[k + 1],
			    &tmp, e, sizeof(e)) != 0)
				errx(1, "%s", e);
			val_certs_free(&tmp);
		}
	t = now() - t0;
	printf("load (PEM+d2i+DER):    %8.0f certs/s (%.1f us/cert)\n",
	    ROUNDS * ncert / t, 1e6 * t / (ROUNDS * ncert));

	for (j = 0; j < 3; j++) {
		if ((p = val_profile_load(pn[j], NULL, e, sizeof(e))) == NULL)
			errx(1, "%s", e);
		t0 = now();
		for (r = 0; r < ROUNDS; r++)
			for (i = 0; i < all.n; i++) {
				val_report_init(&rep);
				val_cert_check(&all.v[i], p, 1700000000, &rep);
				val_report_clear(&rep);
			}
		t = now() - t0;
		printf("checks %-8s        %8.0f certs/s (%.1f us/cert)\n",
		    pn[j], ROUNDS * ncert / t, 1e6 * t / (ROUNDS * ncert));
		val_profile_free(p);
	}
	printf("(%zu certificates from %d files, %d rounds)\n", ncert,
	    nfiles, ROUNDS);
	val_certs_free(&all);
	for (k = 0; k < nfiles; k++)
		free(buf[k]);
	free(buf);
	free(len);
	return 0;
}
