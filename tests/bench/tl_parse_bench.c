/*
 * tl_parse_bench.c: how fast tl_parse() reads real lists and refuses
 * hostile ones, and how fast tl_status() answers over all of them.
 *
 *   tl_parse_bench FILE...   parse each file 5 times (best time kept),
 *                            then time hostile inputs built in memory and
 *                            one tl_status() over every list parsed.
 * Prints one line per figure; peak RSS at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxml/parser.h>
#include <openssl/evp.h>

#include "tl.h"

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best of 5 parses; returns the list of the last one (or NULL). */
static struct tl_list *
timed(const unsigned char *b, size_t len, const char *name, double *best)
{
	struct val_report	 rep;
	struct tl_list		*l = NULL;
	double			 t;
	int			 i;

	*best = 1e18;
	for (i = 0; i < 5; i++) {
		tl_list_free(l);
		val_report_init(&rep);
		t = now_ms();
		l = tl_parse(b, len, name, &rep);
		t = now_ms() - t;
		if (t < *best)
			*best = t;
		val_report_clear(&rep);
	}
	return l;
}

int
main(int argc, char *argv[])
{
	struct tl_list		**lists;
	struct tl_status_result	 res;
	struct rusage		 ru;
	unsigned char		*b;
	char			 err[256], *doc, *w;
	size_t			 len, total = 0, i, n = 0;
	double			 t, sum = 0;
	X509			*x = NULL;

	xmlInitParser();
	if ((lists = calloc(argc, sizeof(*lists))) == NULL)
		return 1;
	for (i = 1; i < (size_t)argc; i++) {
		if (val_read_file(argv[i], TL_MAX_LIST_BYTES, &b, &len, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		lists[n] = timed(b, len, argv[i], &t);
		printf("parse %-60s %8zu bytes %7.2f ms\n", argv[i], len, t);
		total += len;
		sum += t;
		if (lists[n] != NULL)
			n++;
		free(b);
	}
	printf("parse total: %zu lists, %zu bytes in %.1f ms (%.0f MB/s)\n",
	    n, total, sum, sum > 0 ? total / 1e3 / sum : 0.0);

	/* Hostile inputs, refused. */
	doc = malloc(100u << 20);
	if (doc == NULL)
		return 1;
	w = stpcpy(doc, "<TrustServiceStatusList xmlns=\"" TL_NS "\">");
	for (i = 0; i < 10000; i++)
		w = stpcpy(w, "<a>");
	tl_list_free(timed((unsigned char *)doc, (size_t)(w - doc),
	    "deep", &t));
	printf("refuse 10,000-deep nesting: %.3f ms\n", t);
	w = stpcpy(doc, "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
	    "<TrustServiceStatusList xmlns=\"" TL_NS "\">&d;&d;&d;"
	    "</TrustServiceStatusList>");
	tl_list_free(timed((unsigned char *)doc, (size_t)(w - doc),
	    "laughs", &t));
	printf("refuse billion laughs: %.3f ms\n", t);
	w = stpcpy(doc, "<TrustServiceStatusList xmlns=\"" TL_NS "\"><a");
	for (i = 0; i < 40000; i++)
		w += sprintf(w, " a%zu=\"\"", i);
	w = stpcpy(w, "/></TrustServiceStatusList>");
	tl_list_free(timed((unsigned char *)doc, (size_t)(w - doc),
	    "attrs", &t));
	printf("refuse 40,000 attributes on one element: %.3f ms\n", t);
	w = stpcpy(doc, "<TrustServiceStatusList xmlns=\"" TL_NS "\">");
	for (i = 0; i < (16u << 20) / 4; i++)
		w = stpcpy(w, "<a/>");
	w = stpcpy(w, "</TrustServiceStatusList>");
	tl_list_free(timed((unsigned char *)doc, (size_t)(w - doc),
	    "nodes", &t));
	printf("refuse 4 M elements (16 MB): %.3f ms\n", t);
	memset(doc, ' ', 100u << 20);
	tl_list_free(timed((unsigned char *)doc, 100u << 20, "100MB", &t));
	printf("refuse 100 MB body: %.3f ms\n", t);
	free(doc);

	/* tl_status() over every list, for a listed certificate. */
	for (i = 0; i < n && x == NULL; i++) {
		size_t j, k, m;
		for (j = 0; j < lists[i]->ntsps && x == NULL; j++)
			for (k = 0; k < lists[i]->tsps[j].nservices &&
			    x == NULL; k++) {
				const struct tl_service_info *si =
				    &lists[i]->tsps[j].services[k].cur;
				for (m = 0; m < si->nids && x == NULL; m++)
					if (si->ids[m].kind == TL_ID_CERT) {
						const unsigned char *p =
						    si->ids[m].data.p;
						x = d2i_X509(NULL, &p,
						    (long)si->ids[m].data.len);
					}
			}
	}
	if (x != NULL) {
		t = now_ms();
		if (tl_status(x, (const struct tl_list *const *)lists, n,
		    1790000000, &res) == 0) {
			t = now_ms() - t;
			printf("status over %zu lists: %zu matches in %.2f ms\n",
			    n, res.n, t);
			tl_status_result_free(&res);
		}
		X509_free(x);
	}
	for (i = 0; i < n; i++)
		tl_list_free(lists[i]);
	free(lists);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld MB\n", ru.ru_maxrss / 1024);
	return 0;
}
