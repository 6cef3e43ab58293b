/*
 * gw_cmd_tl.c: `xbrg tl verify|sync|status`.
 *
 *   xbrg tl verify --anchors DIR|FILE [--lotl LOTL.xml] [--pivot P.xml]...
 *                  [--at TIME] LIST.xml
 *   xbrg tl sync --lotl URL --anchors DIR --cache DIR [--cacert FILE]
 *                [--at TIME]
 *   xbrg tl status ...            (gw_tl_status.c)
 *
 * verify prints one JSON object (verdict, signer, territory, sequence,
 * issue date, next update, findings); exit 0 valid, 1 invalid, 2 usage.
 * sync prints a progress line per list on stderr and a JSON summary per
 * territory on stdout; exit 0 when every list was refreshed or confirmed
 * unchanged, 1 when some refresh failed (last good lists kept), 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw.h"
#include "tl.h"

#define GW_TL_MAX_ANCHOR_FILES	1024

static void
usage_verify(FILE *f)
{
	fprintf(f,
	    "usage: xbrg tl verify --anchors DIR|FILE [--lotl LOTL.xml] "
	    "[--pivot PIVOT.xml]...\n"
	    "                      [--at TIME] LIST.xml\n"
	    "  Verifies the trusted list's signature (ETSI TS 119 612, XAdES)"
	    " with pinned\n"
	    "  signer keys and prints JSON: verdict, signer, territory, "
	    "sequence, dates,\n"
	    "  findings.\n"
	    "  --anchors  certificates (PEM or DER; a folder: every "
	    "certificate file in it)\n"
	    "             the list (or, with --lotl, the LOTL) must be signed "
	    "by\n"
	    "  --lotl     LIST.xml must be signed by a certificate LOTL.xml "
	    "announces for\n"
	    "             LIST's territory; LOTL.xml is verified against the "
	    "anchors first\n"
	    "  --pivot    pivot LOTL, any order (walked oldest first: the "
	    "oldest against\n"
	    "             the anchors, each next against the previous one's "
	    "EU pointer)\n"
	    "  --at       validation time, RFC 3339 (default: now)\n"
	    "  Exit 0 valid, 1 invalid, 2 usage or unreadable input.\n");
}

static void
usage_sync(FILE *f)
{
	fprintf(f,
	    "usage: xbrg tl sync --lotl URL --anchors DIR --cache DIR "
	    "[--cacert FILE]\n"
	    "                    [--at TIME]\n"
	    "  Fetches (https only) and verifies the EU LOTL against the "
	    "anchors, walking\n"
	    "  the pivot LOTLs its SchemeInformationURI names, oldest first; "
	    "then fetches\n"
	    "  every XML list it points to and verifies each against its "
	    "pointer's\n"
	    "  certificates.  Verified lists go to DIR/lists/NAME.xml with "
	    "NAME.meta.json;\n"
	    "  a failed refresh keeps the last good list.  Conditional GET "
	    "(ETag,\n"
	    "  Last-Modified).  Progress on stderr, JSON summary on stdout.\n"
	    "  --cacert   extra trusted roots for the HTTPS fetches\n"
	    "  --at       validation time, RFC 3339 (default: now)\n"
	    "  Exit 0 all lists current, 1 some refresh failed, 2 usage.\n");
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: xbrg tl verify|sync|status [OPTIONS]\n"
	    "  verify  verify one trusted list's signature with pinned keys\n"
	    "  sync    fetch and verify the LOTL and the national lists into "
	    "a cache\n"
	    "  status  the trust service status of a certificate from the "
	    "cache\n"
	    "'xbrg tl COMMAND --help' documents each.\n");
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Loads anchors from a file or every certificate file of a folder (sorted
 * by name; files that are not certificates are ignored, and said so).
 * Returns 0 with at least one certificate, else -1 (message printed).
 */
static int
load_anchors(const char *cmd, const char *path, struct val_certs *out)
{
	struct stat	 sb;
	DIR		*d = NULL;
	struct dirent	*e;
	char		 err[512], full[4096], **names = NULL, **g;
	size_t		 n = 0, i;
	int		 rc = -1;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "xbrg %s: --anchors: %s: %s\n", cmd, path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		if (val_certs_load_file(path, out, err, sizeof(err)) != 0) {
			fprintf(stderr, "xbrg %s: --anchors: %s\n", cmd, err);
			return -1;
		}
		goto done;
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "xbrg %s: --anchors: %s: %s\n", cmd, path,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n >= GW_TL_MAX_ANCHOR_FILES) {
			fprintf(stderr, "xbrg %s: --anchors: more than %d "
			    "files in %s\n", cmd, GW_TL_MAX_ANCHOR_FILES, path);
			goto out;
		}
		if ((g = reallocarray(names, n + 1, sizeof(*g))) == NULL ||
		    (g[n] = strdup(e->d_name)) == NULL) {
			if (g != NULL)
				names = g;
			fprintf(stderr, "xbrg %s: out of memory\n", cmd);
			goto out;
		}
		names = g;
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmpstr);
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (val_certs_load_file(full, out, err, sizeof(err)) != 0)
			fprintf(stderr, "xbrg %s: --anchors: ignored %s: "
			    "%s\n", cmd, full, err);
	}
 done:
	if (out->n == 0) {
		fprintf(stderr, "xbrg %s: --anchors: no certificate in %s\n",
		    cmd, path);
		goto out;
	}
	if (out->n > TL_MAX_SIGNERS) {
		fprintf(stderr, "xbrg %s: --anchors: %zu certificates, more "
		    "than %d\n", cmd, out->n, TL_MAX_SIGNERS);
		goto out;
	}
	rc = 0;
 out:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static json_t *
time_json(time_t t)
{
	char	 buf[VAL_TIME_LEN];

	if (t == TL_NO_TIME)
		return json_null();
	val_time_format(t, buf);
	return json_string(buf);
}

static json_t *
signer_json(X509 *x, const char *sha256)
{
	char	*subj;
	json_t	*o;
	time_t	 na;

	if (x == NULL)
		return json_null();
	subj = val_name_text(X509_get_subject_name(x));
	o = json_pack("{s:s?, s:s}", "subject", subj, "sha256", sha256);
	free(subj);
	if (o == NULL)
		return NULL;
	if (val_asn1_time(X509_get0_notAfter(x), &na) == 0)
		json_object_set_new(o, "not_after", time_json(na));
	return o;
}

/* The JSON of one verification. */
static json_t *
verified_json(const char *file, const struct tl_verified *v,
    const struct val_report *rep)
{
	const struct tl_scheme	*l = &v->scheme;
	json_t			*o;

	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
	    " s:s}",
	    "file", file,
	    "verdict", val_report_verdict(rep) == VAL_VERDICT_FAIL ?
	    "invalid" : "valid",
	    "signer", signer_json(v->signer, v->signer_sha256),
	    "signing_time", time_json(v->signing_time),
	    "territory", l->territory[0] != '\0' ?
	    json_string(l->territory) : json_null(),
	    "sequence", l->seq >= 0 ? json_integer(l->seq) : json_null(),
	    "version", l->version >= 0 ? json_integer(l->version) :
	    json_null(),
	    "issued", time_json(l->issued),
	    "next_update", time_json(l->next_update),
	    "closed", json_boolean(l->closed),
	    "sha256", v->sha256);
	if (o == NULL)
		return NULL;
	if (v->npivots > 0) {
		json_t	*pa = json_array();
		size_t	 i;

		if (pa == NULL || json_object_set_new(o, "pivots_named",
		    pa) != 0) {
			json_decref(o);
			return NULL;
		}
		for (i = 0; i < v->npivots; i++)
			json_array_append_new(pa, json_string(v->pivots[i]));
	}
	if (json_object_set_new(o, "findings", gw_json_findings(rep)) != 0 ||
	    json_object_set_new(o, "parse_findings",
	    gw_json_findings(&v->parse_rep)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
read_input(const char *cmd, const char *path, unsigned char **buf,
    size_t *len)
{
	char	 err[512];

	if (val_read_file(path, TL_MAX_LIST_BYTES, buf, len, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "xbrg %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

static int
cmd_verify(int argc, char **argv)
{
	struct val_certs	 anchors = { NULL, 0 }, signers = { NULL, 0 };
	struct val_report	 rep, lrep, prep;
	struct tl_blob_in	 pv[TL_MAX_PIVOTS];
	struct tl_verify_in	 in;
	struct tl_verified	 v, lv;
	struct tl_list		*peek = NULL;
	const char		*anch = NULL, *lotl = NULL, *atarg = NULL;
	const char		*file = NULL;
	unsigned char		*buf = NULL, *lbuf = NULL;
	unsigned char		*pbuf[TL_MAX_PIVOTS];
	size_t			 len = 0, llen = 0, npv = 0, i;
	char			 err[512];
	json_t			*out = NULL, *lj;
	time_t			 at;
	int			 rc = GW_EXIT_USAGE, n;

	memset(&v, 0, sizeof(v));
	memset(&lv, 0, sizeof(lv));
	memset(pbuf, 0, sizeof(pbuf));
	val_report_init(&rep);
	val_report_init(&lrep);
	val_report_init(&prep);
	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage_verify(stdout);
			return GW_EXIT_OK;
		}
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			if (file != NULL) {
				fprintf(stderr, "xbrg tl verify: one LIST.xml "
				    "only ('%s')\n", argv[i]);
				usage_verify(stderr);
				return GW_EXIT_USAGE;
			}
			file = argv[i];
			continue;
		}
		if (i + 1 >= (size_t)argc) {
			fprintf(stderr, "xbrg tl verify: '%s' needs a value "
			    "or is unknown\n", argv[i]);
			usage_verify(stderr);
			return GW_EXIT_USAGE;
		}
		if (strcmp(argv[i], "--anchors") == 0)
			anch = argv[++i];
		else if (strcmp(argv[i], "--lotl") == 0)
			lotl = argv[++i];
		else if (strcmp(argv[i], "--at") == 0)
			atarg = argv[++i];
		else if (strcmp(argv[i], "--pivot") == 0) {
			if (npv >= TL_MAX_PIVOTS) {
				fprintf(stderr, "xbrg tl verify: more than %d "
				    "--pivot\n", TL_MAX_PIVOTS);
				return GW_EXIT_USAGE;
			}
			pv[npv++].name = argv[++i];
		} else {
			fprintf(stderr, "xbrg tl verify: unknown option "
			    "'%s'\n", argv[i]);
			usage_verify(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (anch == NULL || file == NULL) {
		fprintf(stderr, "xbrg tl verify: --anchors and LIST.xml are "
		    "required\n");
		usage_verify(stderr);
		return GW_EXIT_USAGE;
	}
	if (atarg != NULL) {
		if (gw_parse_at("tl verify", atarg, &at) != 0)
			return GW_EXIT_USAGE;
	} else
		at = time(NULL);
	if (load_anchors("tl verify", anch, &anchors) != 0)
		goto out;
	for (i = 0; i < npv; i++) {
		if (read_input("tl verify", pv[i].name, &pbuf[i],
		    &pv[i].len) != 0)
			goto out;
		pv[i].p = pbuf[i];
	}
	if (read_input("tl verify", file, &buf, &len) != 0 ||
	    (lotl != NULL && read_input("tl verify", lotl, &lbuf, &llen) !=
	    0))
		goto out;

	/* The trust set for the LOTL (or the list): anchors, then pivots. */
	if (tl_pivot_walk(pv, npv, &anchors, at, &signers, &prep) != 0) {
		if (prep.oom)
			goto oom;
		/* The chain broke: nothing is trusted; report on the list. */
	}
	memset(&in, 0, sizeof(in));
	in.at = at;
	in.prev_seq = -1;
	in.want_list = 1;
	if (lotl != NULL) {
		in.signers = &signers;
		in.lotl = 1;
		if (tl_verify(lbuf, llen, lotl, &in, &lv, &lrep) != 0)
			goto oom;
		val_report_move(&lrep, &prep);
		val_certs_free(&signers);
		memset(&in, 0, sizeof(in));
		in.at = at;
		in.prev_seq = -1;
		in.want_list = 1;
		/* Which territory: the list's own, read before trusting it;
		 * the verifier then insists the list says the same. */
		peek = tl_parse(buf, len, file, &prep);
		val_report_clear(&prep);
		if (val_report_verdict(&lrep) != VAL_VERDICT_FAIL &&
		    lv.list != NULL && peek != NULL &&
		    peek->territory != NULL) {
			n = tl_pointer_certs(lv.list, peek->territory,
			    &signers, err, sizeof(err));
			if (n < 0) {
				fprintf(stderr, "xbrg tl verify: %s: %s\n",
				    lotl, err);
				val_certs_free(&signers);
			}
			in.territory = peek->territory;
		}
		in.signers = &signers;
	} else {
		in.signers = &signers;
		val_report_move(&rep, &prep);
	}
	if (tl_verify(buf, len, file, &in, &v, &rep) != 0)
		goto oom;
	if (lotl != NULL && val_report_verdict(&lrep) == VAL_VERDICT_FAIL) {
		/* An untrusted LOTL vouches for nothing. */
		static const struct val_rule r_lotl = { "TLV-LOTL-UNTRUSTED",
		    VAL_ERROR, "ETSI TS 119 612 5.3.13; EU LOTL",
		    "the LOTL given does not verify against the anchors" };

		val_report_add(&rep, &r_lotl, lotl, NULL);
	}
	if ((out = verified_json(file, &v, &rep)) == NULL)
		goto oom;
	if (lotl != NULL) {
		if ((lj = verified_json(lotl, &lv, &lrep)) == NULL ||
		    json_object_set_new(out, "lotl", lj) != 0)
			goto oom;
	}
	rc = val_report_verdict(&rep) == VAL_VERDICT_FAIL ? GW_EXIT_NEG :
	    GW_EXIT_OK;
	if (gw_json_print(out) != 0) {
		out = NULL;
		rc = GW_EXIT_USAGE;
	}
	out = NULL;
	goto out;
 oom:
	fprintf(stderr, "xbrg tl verify: out of memory\n");
	rc = GW_EXIT_USAGE;
 out:
	json_decref(out);
	tl_list_free(peek);
	tl_verified_free(&v);
	tl_verified_free(&lv);
	val_report_clear(&rep);
	val_report_clear(&lrep);
	val_report_clear(&prep);
	val_certs_free(&anchors);
	val_certs_free(&signers);
	for (i = 0; i < npv; i++)
		free(pbuf[i]);
	free(buf);
	free(lbuf);
	return rc;
}

static const char *
state_name(enum tl_sync_state s)
{
	switch (s) {
	case TL_SYNC_UPDATED:
		return "updated";
	case TL_SYNC_UNCHANGED:
		return "unchanged";
	case TL_SYNC_FAILED:
		break;
	}
	return "failed";
}

static json_t *
sync_item_json(const struct tl_sync_item *it)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:b, s:o, s:o, s:o, s:o, "
	    "s:s?, s:o}",
	    "name", it->name,
	    "territory", it->territory,
	    "url", it->url,
	    "state", state_name(it->state),
	    "error", it->error,
	    "cached", it->cached,
	    "sequence", it->seq >= 0 ? json_integer(it->seq) : json_null(),
	    "fetched_sequence", it->fetched_seq >= 0 ?
	    json_integer(it->fetched_seq) : json_null(),
	    "issued", time_json(it->cached ? it->issued : TL_NO_TIME),
	    "next_update", time_json(it->cached ? it->next_update :
	    TL_NO_TIME),
	    "signer_sha256", it->signer_sha256[0] != '\0' ?
	    it->signer_sha256 : NULL,
	    "findings", gw_json_findings(&it->rep));
	return o;
}

static int
cmd_sync(int argc, char **argv)
{
	struct val_certs	 anchors = { NULL, 0 };
	struct tl_sync_opts	 o;
	struct tl_sync_result	 res = { NULL, 0 };
	const char		*anch = NULL, *atarg = NULL;
	char			 err[512], atbuf[VAL_TIME_LEN];
	json_t			*out = NULL, *arr, *it;
	size_t			 i;
	int			 rc = GW_EXIT_USAGE, allok = 1;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage_sync(stdout);
			return GW_EXIT_OK;
		}
		if (i + 1 >= (size_t)argc) {
			fprintf(stderr, "xbrg tl sync: '%s' needs a value "
			    "or is unknown\n", argv[i]);
			usage_sync(stderr);
			return GW_EXIT_USAGE;
		}
		if (strcmp(argv[i], "--lotl") == 0)
			o.lotl_url = argv[++i];
		else if (strcmp(argv[i], "--anchors") == 0)
			anch = argv[++i];
		else if (strcmp(argv[i], "--cache") == 0)
			o.cache_dir = argv[++i];
		else if (strcmp(argv[i], "--cacert") == 0)
			o.cacert = argv[++i];
		else if (strcmp(argv[i], "--at") == 0)
			atarg = argv[++i];
		else {
			fprintf(stderr, "xbrg tl sync: unknown option '%s'\n",
			    argv[i]);
			usage_sync(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (o.lotl_url == NULL || anch == NULL || o.cache_dir == NULL) {
		fprintf(stderr, "xbrg tl sync: --lotl, --anchors and --cache "
		    "are required\n");
		usage_sync(stderr);
		return GW_EXIT_USAGE;
	}
	if (atarg != NULL) {
		if (gw_parse_at("tl sync", atarg, &o.at) != 0)
			return GW_EXIT_USAGE;
	} else
		o.at = time(NULL);
	if (o.cacert != NULL && access(o.cacert, R_OK) != 0) {
		fprintf(stderr, "xbrg tl sync: --cacert: %s: %s\n", o.cacert,
		    strerror(errno));
		return GW_EXIT_USAGE;
	}
	if (load_anchors("tl sync", anch, &anchors) != 0)
		goto out;
	o.anchors = &anchors;
	o.progress = stderr;
	if (tl_sync(&o, &res, err, sizeof(err)) != 0) {
		fprintf(stderr, "xbrg tl sync: %s\n", err);
		goto out;
	}
	val_time_format(o.at, atbuf);
	if ((out = json_pack("{s:s, s:s, s:s}", "at", atbuf, "lotl",
	    o.lotl_url, "cache", o.cache_dir)) == NULL ||
	    (arr = json_array()) == NULL ||
	    json_object_set_new(out, "lists", arr) != 0)
		goto oom;
	for (i = 0; i < res.n; i++) {
		if ((it = sync_item_json(&res.v[i])) == NULL ||
		    json_array_append_new(arr, it) != 0)
			goto oom;
		if (res.v[i].state == TL_SYNC_FAILED)
			allok = 0;
	}
	if (json_object_set_new(out, "ok", json_boolean(allok)) != 0)
		goto oom;
	rc = allok ? GW_EXIT_OK : GW_EXIT_NEG;
	if (gw_json_print(out) != 0)
		rc = GW_EXIT_USAGE;
	out = NULL;
	goto out;
 oom:
	fprintf(stderr, "xbrg tl sync: out of memory\n");
	rc = GW_EXIT_USAGE;
 out:
	json_decref(out);
	tl_sync_result_free(&res);
	val_certs_free(&anchors);
	return rc;
}

int
gw_cmd_tl(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return GW_EXIT_OK;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1);
	if (strcmp(argv[1], "sync") == 0)
		return cmd_sync(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return gw_tl_status(argc - 1, argv + 1);
	fprintf(stderr, "xbrg tl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return GW_EXIT_USAGE;
}
