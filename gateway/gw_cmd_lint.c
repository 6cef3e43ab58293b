/*
 * gw_cmd_lint.c: xbrg lint [--profile NAME] [--profile-dir DIR]
 * [--at TIME] FILE...
 *
 * Lints every certificate of every file against one profile at one time
 * and prints {"results":[{"file","verdict","findings"}]}.  Every file is
 * read before anything is printed: an unreadable file prints nothing on
 * stdout, names the file on stderr and exits 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw.h"

#define GW_LINT_DEFAULT_PROFILE	"rfc5280"

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: xbrg lint [--profile NAME] [--profile-dir DIR] [--at TIME] FILE...\n"
"\n"
"Lints each certificate in each FILE (PEM, DER, or a bundle of either)\n"
"against a profile and prints JSON:\n"
"  {\"results\":[{\"file\":..., \"verdict\":\"pass\"|\"warn\"|\"fail\",\n"
"    \"findings\":[{\"code\",\"severity\",\"cite\",\"message\",\"where\",\n"
"    \"detail\" (when the finding has one)}]}]}\n"
"\n"
"options:\n"
"  --profile NAME     profile to apply: rfc5280 (default), gmt0015, intl,\n"
"                     or any NAME.profile in the profile folder\n"
"  --profile-dir DIR  folder of NAME.profile files (default:\n"
"                     $XBRG_PROFILE_DIR, else profiles/ of the source tree)\n"
"  --at TIME          RFC 3339 time to judge validity at, e.g.\n"
"                     2023-11-14T22:13:20Z (default: now)\n"
"  -h, --help         this text\n"
"\n"
"exit: 0 no error or fatal finding, 1 some file has one, 2 usage error or\n"
"unreadable input (named on stderr)\n");
}

/* Lints one file into a result object.  Returns 0, or -1 after printing
 * why the file is unusable. */
static int
lint_file(const char *path, const struct val_profile *prof, time_t at,
    json_t *results, int *failed)
{
	struct val_certs	 certs = { NULL, 0 };
	struct val_report	 rep;
	enum val_verdict	 v;
	json_t			*o = NULL, *f;
	char			 err[512];
	size_t			 i;
	int			 rc = -1;

	val_report_init(&rep);
	if (val_certs_load_file(path, &certs, err, sizeof(err)) != 0) {
		fprintf(stderr, "xbrg lint: %s\n", err);
		goto out;
	}
	for (i = 0; i < certs.n; i++)
		if (val_cert_check(&certs.v[i], prof, at, &rep) != 0) {
			fprintf(stderr, "xbrg lint: %s: checks could not "
			    "run\n", certs.v[i].where);
			goto out;
		}
	v = val_report_verdict(&rep);
	if (v == VAL_VERDICT_FAIL)
		*failed = 1;
	if ((f = gw_json_findings(&rep)) == NULL ||
	    (o = json_pack("{s:s, s:s, s:o}", "file", path, "verdict",
	    val_verdict_name(v), "findings", f)) == NULL ||
	    json_array_append_new(results, o) != 0) {
		fprintf(stderr, "xbrg lint: %s: out of memory\n", path);
		goto out;
	}
	rc = 0;
 out:
	val_report_clear(&rep);
	val_certs_free(&certs);
	return rc;
}

int
gw_cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "profile-dir", required_argument, NULL, 'd' },
		{ "at", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct val_profile	*prof = NULL;
	const char		*pname = GW_LINT_DEFAULT_PROFILE;
	const char		*pdir = NULL;
	json_t			*results = NULL;
	char			 err[512];
	time_t			 at;
	int			 ch, i, failed = 0, bad = 0;
	int			 rc = GW_EXIT_USAGE;

	at = time(NULL);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pname = optarg;
			break;
		case 'd':
			pdir = optarg;
			break;
		case 't':
			if (gw_parse_at("lint", optarg, &at) != 0)
				return GW_EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return GW_EXIT_OK;
		default:
			fprintf(stderr, "xbrg lint: unknown or incomplete "
			    "option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "xbrg lint: no FILE given\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if ((prof = val_profile_load(pname, pdir, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "xbrg lint: profile %s: %s\n", pname, err);
		return GW_EXIT_USAGE;
	}
	if ((results = json_array()) == NULL)
		goto out;
	for (i = optind; i < argc; i++)
		if (lint_file(argv[i], prof, at, results, &failed) != 0)
			bad = 1;
	if (bad)
		goto out;
	if (gw_json_print(json_pack("{s:O}", "results", results)) != 0) {
		fprintf(stderr, "xbrg lint: cannot write the report\n");
		goto out;
	}
	rc = failed ? GW_EXIT_NEG : GW_EXIT_OK;
 out:
	json_decref(results);
	val_profile_free(prof);
	return rc;
}
