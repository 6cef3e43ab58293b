/*
 * gw_tl_status.c: `xbrg tl status --cache DIR --cert CERT.pem [--at TIME]`.
 *
 * Reads every verified list of the cache (DIR/lists/NAME.xml, written by
 * `xbrg tl sync` only after verification; not re-verified here), finds the
 * services whose current digital identity matches the certificate and
 * prints, as JSON, each one's status at TIME (default: now):
 *
 *   {"at":"...","granted":bool,"matches":[{"territory","tsp","service",
 *    "type","status","since","match","same_key","granted","qualifiers",
 *    "list","list_sequence","list_next_update","list_closed"}]}
 *
 * Exit 0 when some match is granted (or a pre-2016 equivalent) at TIME
 * and is the listed certificate or has its public key ("same_key"); 1
 * otherwise (no match, not granted, or only a weak match by SKI or subject
 * name, which anyone can copy); 2 usage or unreadable input.  The top
 * "granted" says the same as the exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "tl.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: xbrg tl status --cache DIR --cert CERT.pem "
	    "[--at TIME]\n"
	    "  Prints the trust services (from the verified lists in "
	    "DIR/lists/) whose\n"
	    "  current identity matches the certificate, with their status "
	    "at TIME\n"
	    "  (RFC 3339, default now).  Exit 0 granted, 1 not granted, "
	    "2 usage.\n");
}

/* The distinct qualifier URIs of si, short form, as a JSON array. */
static json_t *
qualifiers(const struct tl_service_info *si)
{
	json_t		*a;
	const char	*q, *p;
	size_t		 i, j, k;
	int		 dup;

	if ((a = json_array()) == NULL || si == NULL)
		return a;
	for (i = 0; i < si->nquals; i++)
		for (j = 0; j < si->quals[i].nqualifiers; j++) {
			q = si->quals[i].qualifiers[j];
			if ((p = strstr(q, "/SvcInfoExt/")) != NULL)
				q = p + strlen("/SvcInfoExt/");
			dup = 0;
			for (k = 0; k < json_array_size(a); k++)
				if (strcmp(json_string_value(
				    json_array_get(a, k)), q) == 0)
					dup = 1;
			if (!dup)
				json_array_append_new(a, json_string(q));
		}
	return a;
}

static json_t *
match_json(const struct tl_status_match *m, const char *file)
{
	const struct tl_service_info	*si = m->at_info;
	const char			*st;
	char				 since[VAL_TIME_LEN];
	char				 next[VAL_TIME_LEN];
	json_t				*o;

	st = m->status == NULL ? NULL : tl_status_short(m->status) ?
	    tl_status_short(m->status) : m->status;
	if (m->since != TL_NO_TIME)
		val_time_format(m->since, since);
	o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:b, "
	    "s:b, s:o, s:s}",
	    "territory", m->list->territory,
	    "tsp", m->tsp->name,
	    "service", si != NULL && si->name != NULL ? si->name :
	    m->service->cur.name,
	    "type", tl_service_type_short(si != NULL && si->type != NULL ?
	    si->type : m->service->cur.type),
	    "status", st,
	    "since", m->since != TL_NO_TIME ? since : NULL,
	    "match", tl_match_name(m->match),
	    "same_key", m->same_key,
	    "granted", m->granted,
	    "qualifiers", qualifiers(si),
	    "list", file);
	if (o == NULL)
		return NULL;
	if (m->list->next_update != TL_NO_TIME)
		val_time_format(m->list->next_update, next);
	if (json_object_set_new(o, "list_sequence",
	    json_integer(m->list->seq)) != 0 ||
	    json_object_set_new(o, "list_next_update",
	    m->list->next_update != TL_NO_TIME ? json_string(next) :
	    json_null()) != 0 ||
	    json_object_set_new(o, "list_closed",
	    json_boolean(m->list->closed)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
gw_tl_status(int argc, char **argv)
{
	struct val_certs	 certs = { NULL, 0 };
	struct val_report	 rep;
	struct tl_status_result	 res = { NULL, 0 };
	struct tl_set		 set;
	const char		*cache = NULL, *certfile = NULL, *atarg = NULL;
	const char		*name;
	char			 err[512], atbuf[VAL_TIME_LEN];
	size_t			 i;
	json_t			*out = NULL, *arr;
	time_t			 at;
	int			 rc = GW_EXIT_USAGE, granted = 0;

	val_report_init(&rep);
	memset(&set, 0, sizeof(set));
	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return GW_EXIT_OK;
		}
		if (i + 1 >= (size_t)argc) {
			fprintf(stderr, "xbrg tl status: '%s' needs a value "
			    "or is unknown\n", argv[i]);
			usage(stderr);
			return GW_EXIT_USAGE;
		}
		if (strcmp(argv[i], "--cache") == 0)
			cache = argv[++i];
		else if (strcmp(argv[i], "--cert") == 0)
			certfile = argv[++i];
		else if (strcmp(argv[i], "--at") == 0)
			atarg = argv[++i];
		else {
			fprintf(stderr, "xbrg tl status: unknown option "
			    "'%s'\n", argv[i]);
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (cache == NULL || certfile == NULL) {
		fprintf(stderr, "xbrg tl status: --cache and --cert are "
		    "required\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (atarg != NULL) {
		if (gw_parse_at("tl status", atarg, &at) != 0)
			return GW_EXIT_USAGE;
	} else
		at = time(NULL);
	if (val_certs_load_file(certfile, &certs, err, sizeof(err)) != 0) {
		fprintf(stderr, "xbrg tl status: --cert: %s\n", err);
		goto out;
	}
	if (certs.n != 1) {
		fprintf(stderr, "xbrg tl status: --cert: %s holds %zu "
		    "certificates; give exactly one\n", certfile, certs.n);
		goto out;
	}
	if (tl_set_load(cache, &set, &rep, err, sizeof(err)) != 0) {
		fprintf(stderr, "xbrg tl status: --cache: %s\n", err);
		goto out;
	}
	if (rep.n > 0) {
		/* Verified lists parse; a damaged file is left out. */
		fprintf(stderr, "xbrg tl status: lists left out:\n");
		val_report_print(stderr, &rep);
	}
	if (tl_status(certs.v[0].x509, (const struct tl_list *const *)
	    set.lists, set.n, at, &res) != 0) {
		fprintf(stderr, "xbrg tl status: out of memory\n");
		goto out;
	}
	if ((out = json_object()) == NULL || (arr = json_array()) == NULL)
		goto oom;
	val_time_format(at, atbuf);
	if (json_object_set_new(out, "at", json_string(atbuf)) != 0 ||
	    json_object_set_new(out, "granted", json_false()) != 0 ||
	    json_object_set_new(out, "matches", arr) != 0)
		goto oom;
	for (i = 0; i < res.n; i++) {
		name = tl_set_name(&set, res.v[i].list);
		if (json_array_append_new(arr, match_json(&res.v[i],
		    name != NULL ? name : "")) != 0)
			goto oom;
		/* A name or SKI alone proves nothing: see tl.h. */
		if (res.v[i].granted && res.v[i].same_key)
			granted = 1;
	}
	if (json_object_set_new(out, "granted", json_boolean(granted)) != 0)
		goto oom;
	rc = gw_json_print(out);
	out = NULL;
	if (rc != 0)
		goto oom;
	rc = granted ? GW_EXIT_OK : GW_EXIT_NEG;
	goto out;
 oom:
	fprintf(stderr, "xbrg tl status: out of memory or output error\n");
	rc = GW_EXIT_USAGE;
 out:
	json_decref(out);
	tl_status_result_free(&res);
	tl_set_free(&set);
	val_certs_free(&certs);
	val_report_clear(&rep);
	return rc;
}
