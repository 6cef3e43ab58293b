/*
 * gw_main.c: the xbrg command.  Library-wide set-up happens here and only
 * here; each command lives in its own gw_cmd_*.c.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>

#include "gw.h"
#include "tl.h"

struct gw_cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
};

static const struct gw_cmd cmds[] = {
	{ "lint", gw_cmd_lint,
	    "lint certificates against a profile (rfc5280, gmt0015, intl)" },
	{ "validate", gw_cmd_validate,
	    "validate a certificate path at a time (RFC 5280)" },
	{ "tl", gw_cmd_tl,
	    "trust lists: verify, sync, status (ETSI TS 119 612)" },
	{ "serve", gw_cmd_serve,
	    "run the recognition gateway (HTTP/HTTPS service)" },
	{ "audit", gw_cmd_audit,
	    "audit log: verify the hash chain" },
	{ "verify-decision", gw_cmd_verify_decision,
	    "verify a signed recognition decision offline" },
	{ NULL, NULL, NULL }
};

static void
usage(FILE *fp)
{
	const struct gw_cmd	*c;

	fprintf(fp, "usage: xbrg COMMAND [OPTIONS]\n\ncommands:\n");
	for (c = cmds; c->name != NULL; c++)
		fprintf(fp, "  %-16s %s\n", c->name, c->summary);
	fprintf(fp, "\n'xbrg COMMAND --help' documents each command.\n");
}

int
main(int argc, char *argv[])
{
	const struct gw_cmd	*c;
	int			 rc;

	if (argc < 2) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return GW_EXIT_OK;
	}
	for (c = cmds; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			break;
	if (c->name == NULL) {
		fprintf(stderr, "xbrg: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1 ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "xbrg: library initialisation failed\n");
		return GW_EXIT_USAGE;
	}
	xmlInitParser();
	if (tl_global_init() != 0) {
		fprintf(stderr, "xbrg: xmlsec initialisation failed\n");
		xmlCleanupParser();
		curl_global_cleanup();
		return GW_EXIT_USAGE;
	}
	rc = c->fn(argc - 1, argv + 1);
	tl_global_cleanup();
	xmlCleanupParser();
	curl_global_cleanup();
	return rc;
}
