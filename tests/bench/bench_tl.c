/*
 * bench_tl.c: verify LOTL 390 (against the EU pointer of pivot 378) and
 * every 2026 national list (against LOTL 390's pointer for its territory)
 * in one process, ROUNDS times; prints the best round's wall time and the
 * peak RSS.  With -w DIR it also writes, per file, the certificate the
 * xmlsec1 command line should pin (the one that verified; for a list no
 * pointer certificate verifies, the pointer's first) and a manifest
 * "FILE PEM" per line, so tests/bench/30-tl.sh can time the command line
 * on the same files with the same keys.
 *
 *   bench_tl [-w DIR] [-r ROUNDS] TRUSTLISTS-REAL-DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <openssl/pem.h>

#include "tl.h"

#define MAXF	64

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char	*b;
	char		 err[512];

	if (val_read_file(path, TL_MAX_LIST_BYTES, &b, len, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bench_tl: %s\n", err);
		exit(2);
	}
	return b;
}

static void
write_pem(const char *dir, const char *name, X509 *x, FILE *man,
    const char *file)
{
	char	 p[2048];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s.pem", dir, name);
	if ((f = fopen(p, "w")) == NULL || PEM_write_X509(f, x) != 1) {
		fprintf(stderr, "bench_tl: cannot write %s\n", p);
		exit(2);
	}
	fclose(f);
	fprintf(man, "%s %s\n", file, p);
}

int
main(int argc, char *argv[])
{
	struct val_certs	 pivot_eu = { NULL, 0 }, ptr;
	struct val_report	 rep, prep;
	struct tl_verify_in	 in;
	struct tl_verified	 lv, v;
	struct tl_list		*pivot;
	struct rusage		 ru;
	const char		*wdir = NULL, *root;
	char			*names[MAXF], path[2048], lotl[2048], err[512];
	char			 terr[3];
	unsigned char		*buf;
	size_t			 len, n = 0, i;
	double			 t0, best = 1e9, tsum;
	int			 rounds = 5, ch, r, nvalid = 0, ninvalid = 0;
	FILE			*man = NULL;
	DIR			*d;
	struct dirent		*e;
	time_t			 at;

	while ((ch = getopt(argc, argv, "w:r:")) != -1) {
		switch (ch) {
		case 'w': wdir = optarg; break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_tl [-w DIR] [-r N] "
			    "TRUSTLISTS-REAL\n");
			return 2;
		}
	}
	if (optind + 1 != argc || rounds < 1)
		return 2;
	root = argv[optind];
	xmlInitParser();
	if (tl_global_init() != 0)
		return 2;
	val_time_parse("2026-08-20T00:00:00Z", &at);

	/* Setup (not timed): the pinned keys for the LOTL. */
	snprintf(path, sizeof(path), "%s/lotl/pivots/eu-lotl-pivot-378.xml",
	    root);
	buf = slurp(path, &len);
	val_report_init(&prep);
	if ((pivot = tl_parse(buf, len, path, &prep)) == NULL ||
	    tl_pointer_certs(pivot, "EU", &pivot_eu, err, sizeof(err)) <= 0)
		return 2;
	tl_list_free(pivot);
	free(buf);
	val_report_clear(&prep);
	snprintf(lotl, sizeof(lotl), "%s/lotl/eu-lotl_v6_seq390_2026-08-03.xml",
	    root);
	snprintf(path, sizeof(path), "%s/tl-2026", root);
	if ((d = opendir(path)) == NULL)
		return 2;
	while ((e = readdir(d)) != NULL && n < MAXF)
		if (strstr(e->d_name, ".xml") != NULL)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	if (wdir != NULL) {
		snprintf(path, sizeof(path), "%s/manifest", wdir);
		if ((man = fopen(path, "w")) == NULL)
			return 2;
	}

	for (r = 0; r < rounds; r++) {
		t0 = now();
		nvalid = ninvalid = 0;
		/* The LOTL against the pivot's EU pointer. */
		buf = slurp(lotl, &len);
		memset(&in, 0, sizeof(in));
		in.signers = &pivot_eu;
		in.at = at;
		in.lotl = 1;
		in.prev_seq = -1;
		val_report_init(&rep);
		if (tl_verify(buf, len, lotl, &in, &lv, &rep) != 0 ||
		    val_report_verdict(&rep) == VAL_VERDICT_FAIL) {
			val_report_print(stderr, &rep);
			return 1;
		}
		nvalid++;
		if (man != NULL && r == 0)
			write_pem(wdir, "EU-LOTL", lv.signer, man, lotl);
		val_report_clear(&rep);
		free(buf);
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/tl-2026/%s", root,
			    names[i]);
			buf = slurp(path, &len);
			/* The pointer, as sync knows it: the territory
			 * is the file name's prefix (EL_..., UK_...). */
			snprintf(terr, sizeof(terr), "%.2s", names[i]);
			memset(&ptr, 0, sizeof(ptr));
			if (tl_pointer_certs(lv.list, terr, &ptr, err,
			    sizeof(err)) <= 0) {
				fprintf(stderr, "bench_tl: %s: no pointer\n",
				    names[i]);
				return 1;
			}
			memset(&in, 0, sizeof(in));
			in.signers = &ptr;
			in.at = at;
			in.territory = terr;
			in.prev_seq = -1;
			if (tl_verify(buf, len, path, &in, &v, &rep) != 0)
				return 1;
			if (val_report_verdict(&rep) == VAL_VERDICT_FAIL)
				ninvalid++;
			else
				nvalid++;
			if (man != NULL && r == 0)
				write_pem(wdir, terr,
				    v.signer != NULL ? v.signer :
				    ptr.v[0].x509, man, path);
			tl_verified_free(&v);
			val_report_clear(&rep);
			val_certs_free(&ptr);
			free(buf);
		}
		tl_verified_free(&lv);
		tsum = now() - t0;
		if (tsum < best)
			best = tsum;
		if (man != NULL && r == 0) {
			fclose(man);
			man = NULL;
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("files %zu valid %d invalid %d best_seconds %.4f "
	    "cpu_seconds_per_round %.4f peak_rss_kb %ld\n", n + 1, nvalid,
	    ninvalid, best, (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6) / rounds,
	    ru.ru_maxrss);
	for (i = 0; i < n; i++)
		free(names[i]);
	val_certs_free(&pivot_eu);
	tl_global_cleanup();
	xmlCleanupParser();
	return 0;
}
