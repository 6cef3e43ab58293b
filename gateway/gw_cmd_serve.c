/*
 * gw_cmd_serve.c: `xbrg serve --config FILE [--port N]`.
 *
 * Starts the gateway, prints one line with the base URL on stdout (tests
 * read the port from it), then waits for SIGINT or SIGTERM and stops
 * cleanly: requests in flight finish, the store is closed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "gw_http.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: xbrg serve --config FILE [--port N]\n"
	    "\n"
	    "Runs the recognition gateway (HTTPS with client certificates,\n"
	    "or plain HTTP on loopback for demos when the config says so).\n"
	    "\n"
	    "  --config FILE  JSON configuration (README: \"The gateway "
	    "service\")\n"
	    "  --port N       listen on port N instead of the configured one;\n"
	    "                 0 picks a free port\n"
	    "\n"
	    "Prints \"xbrg serve: listening on URL\" once ready; stops on\n"
	    "SIGINT or SIGTERM; SIGHUP reloads the client-certificate CRLs.\n"
	    "One JSON access-log line per request goes to stderr.\n");
}

int
gw_cmd_serve(int argc, char **argv)
{
	struct gw_config	*cfg = NULL;
	struct gw_server	*srv = NULL;
	struct gw_server_opts	 o;
	const char		*cfgpath = NULL;
	char			 err[512], *end;
	sigset_t		 set;
	struct timespec		 tick = { GW_TICK_SECONDS, 0 };
	unsigned long		 p;
	int			 i, sig, rc = GW_EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return GW_EXIT_OK;
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			cfgpath = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			errno = 0;
			p = strtoul(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || end == argv[i] ||
			    p > 65535) {
				fprintf(stderr, "xbrg serve: --port: not a "
				    "port number: '%s'\n", argv[i]);
				return GW_EXIT_USAGE;
			}
			o.has_port = 1;
			o.port_override = p;
		} else {
			fprintf(stderr, "xbrg serve: unknown or incomplete "
			    "option '%s'\n", argv[i]);
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (cfgpath == NULL) {
		fprintf(stderr, "xbrg serve: --config FILE is required\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if ((cfg = gw_config_load(cfgpath, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xbrg serve: config: %s\n", err);
		goto out;
	}
	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cfg->plain_http)
		fprintf(stderr,
		    "xbrg serve: WARNING: PLAIN HTTP, NO TLS, NO CLIENT "
		    "AUTHENTICATION.\n"
		    "xbrg serve: WARNING: demo and test mode only; bound to "
		    "loopback %s; every route that needs a role answers 401.\n",
		    cfg->address);
	else if (cfg->ncrls == 0 && cfg->nusers > 0)
		fprintf(stderr, "xbrg serve: WARNING: no CRL configured for "
		    "client certificates (tls.crls): revoked client "
		    "certificates cannot be refused\n");
	if ((srv = gw_server_start(cfg, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xbrg serve: %s\n", err);
		goto out;
	}
	printf("xbrg serve: listening on %s://%s%s%s:%u\n",
	    cfg->plain_http ? "http" : "https",
	    strchr(cfg->address, ':') ? "[" : "", cfg->address,
	    strchr(cfg->address, ':') ? "]" : "", gw_server_port(srv));
	fflush(stdout);
	/* Wait for a stop signal; meanwhile move recognitions past their
	 * end date to expired (the lookups compare dates themselves). */
	gw_server_tick(srv, time(NULL));
	for (;;) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig == SIGHUP) {
			if (gw_server_reload(srv, err, sizeof(err)) != 0)
				fprintf(stderr, "xbrg serve: SIGHUP: %s; the "
				    "old CRLs stay in force\n", err);
			else
				fprintf(stderr, "xbrg serve: SIGHUP: client "
				    "certificate CRLs reloaded\n");
		} else if (sig < 0 && errno == EAGAIN)
			gw_server_tick(srv, time(NULL));
	}
	fprintf(stderr, "xbrg serve: signal %d, stopping\n", sig);
	rc = GW_EXIT_OK;
 out:
	gw_server_stop(srv);
	gw_config_free(cfg);
	return rc;
}
