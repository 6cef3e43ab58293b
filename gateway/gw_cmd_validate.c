/*
 * gw_cmd_validate.c: xbrg validate: RFC 5280 path validation of one
 * certificate at a time, through val_chain_check(), printed as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "gw.h"

#define GW_VALIDATE_MAX_OPT	64	/* repeated options of one kind */

static const char validate_help[] =
"usage: xbrg validate --anchors FILE [OPTIONS] LEAF\n"
"\n"
"Validates the certificate path of LEAF (RFC 5280 section 6) at a time and\n"
"prints JSON: {\"file\",\"at\",\"verdict\":\"valid\"|\"invalid\",\n"
"\"chain\":[{\"subject\",\"sha256\"}...] (leaf first, anchor last),\n"
"\"findings\":[...]}.  LEAF's first certificate is validated; any further\n"
"certificates in LEAF join the untrusted pool.  Files are PEM (one or many\n"
"blocks) or DER.  SM2 certificates and CRLs are checked with the GM/T 0009\n"
"user ID 1234567812345678.  Every path that reaches an anchor also gets\n"
"the checks OpenSSL misses (serial numbers, SAN and name-constraint\n"
"syntax, undecodable extensions, ...), with or without a purpose option.\n"
"\n"
"options:\n"
"  --anchors FILE          trust anchors (required; repeatable)\n"
"  --untrusted FILE        intermediate certificates to build the path from\n"
"                          (repeatable)\n"
"  --crl FILE              CRLs (repeatable).  With any CRL, every\n"
"                          certificate of the path needs one (indirect and\n"
"                          delta CRLs supported); each CRL used must have a\n"
"                          cRLNumber (RFC 5280 5.2.3); without, revocation\n"
"                          is not checked and an info finding says so\n"
"  --at TIME               validation time, RFC 3339 (default: now); whole\n"
"                          seconds (a fraction is dropped); notAfter and a\n"
"                          CRL's nextUpdate are inclusive (RFC 5280)\n"
"  --profile NAME          also check each chain certificate against the\n"
"                          profile NAME (rfc5280, gmt0015, intl, ...)\n"
"  --policy OID            user-initial-policy-set (repeatable; default\n"
"                          anyPolicy 2.5.29.32.0)\n"
"  --explicit-policy       initial-explicit-policy: the path must be valid\n"
"                          for a policy of the initial set\n"
"  --inhibit-policy-mapping  initial-policy-mapping-inhibit\n"
"  --inhibit-any-policy    initial-any-policy-inhibit\n"
"  --max-depth N           most intermediates allowed (default 8, max 32)\n"
"  --host NAME             the leaf must match DNS name NAME (SAN only,\n"
"                          never the subject CN)\n"
"  --ip ADDR               the leaf must match IP address ADDR\n"
"  --email ADDR            the leaf must match email address ADDR\n"
"  --eku OID               the leaf must allow extended key usage OID\n"
"                          (repeatable); the CAs' extKeyUsage, when they\n"
"                          have one, must allow it too\n"
"  --no-strict             do not apply OpenSSL's X509_STRICT checks (their\n"
"                          findings, CHAIN-STRICT-*, are warnings anyway)\n"
"  --partial-chain         an anchor that is not self-signed ends the path\n"
"  -h, --help              this text\n"
"\n"
"exit status: 0 valid, 1 invalid, 2 usage error or unreadable input\n";

enum {
	OPT_ANCHORS = 256, OPT_UNTRUSTED, OPT_CRL, OPT_AT, OPT_PROFILE,
	OPT_POLICY, OPT_EXPLICIT, OPT_INHIBIT_MAP, OPT_INHIBIT_ANY,
	OPT_MAX_DEPTH, OPT_HOST, OPT_IP, OPT_EMAIL, OPT_EKU, OPT_NO_STRICT,
	OPT_PARTIAL
};

static const struct option validate_opts[] = {
	{ "anchors", required_argument, NULL, OPT_ANCHORS },
	{ "untrusted", required_argument, NULL, OPT_UNTRUSTED },
	{ "crl", required_argument, NULL, OPT_CRL },
	{ "at", required_argument, NULL, OPT_AT },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "explicit-policy", no_argument, NULL, OPT_EXPLICIT },
	{ "inhibit-policy-mapping", no_argument, NULL, OPT_INHIBIT_MAP },
	{ "inhibit-any-policy", no_argument, NULL, OPT_INHIBIT_ANY },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "eku", required_argument, NULL, OPT_EKU },
	{ "no-strict", no_argument, NULL, OPT_NO_STRICT },
	{ "partial-chain", no_argument, NULL, OPT_PARTIAL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* A NULL-terminated list of option arguments (borrowed from argv). */
struct gw_strv {
	const char	*v[GW_VALIDATE_MAX_OPT + 1];
	size_t		 n;
};

static int
strv_add(struct gw_strv *sv, const char *opt, const char *s)
{
	if (sv->n >= GW_VALIDATE_MAX_OPT) {
		fprintf(stderr, "xbrg validate: --%s: more than %d given\n",
		    opt, GW_VALIDATE_MAX_OPT);
		return -1;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

static int
valid_oid(const char *opt, const char *s)
{
	ASN1_OBJECT	*o;
	const char	*p;

	/* Dotted numbers only: OBJ_txt2obj(s, 1) accepts nothing else. */
	for (p = s; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			break;
	if (*s == '\0' || *p != '\0' || (o = OBJ_txt2obj(s, 1)) == NULL) {
		fprintf(stderr, "xbrg validate: --%s: not a dotted OID: "
		    "'%s'\n", opt, s);
		return -1;
	}
	ASN1_OBJECT_free(o);
	return 0;
}

/* The val_cert holding x among the loaded sets, or NULL. */
static const struct val_cert *
find_cert(X509 *x, const struct val_certs *const *sets, size_t nsets)
{
	size_t	 i, j;

	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i]->n; j++)
			if (sets[i]->v[j].x509 == x)
				return &sets[i]->v[j];
	return NULL;
}

static json_t *
chain_json(STACK_OF(X509) *chain)
{
	json_t		*arr, *o;
	X509		*x;
	char		 hex[65], *subj;
	int		 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; chain != NULL && i < sk_X509_num(chain); i++) {
		x = sk_X509_value(chain, i);
		val_cert_sha256_hex(x, hex);
		subj = val_name_text(X509_get_subject_name(x));
		o = json_pack("{s:s, s:s}", "subject", subj != NULL ? subj :
		    "", "sha256", hex);
		free(subj);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int
load_certs(const char *path, struct val_certs *out)
{
	char	 err[512];

	if (val_certs_load_file(path, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "xbrg validate: %s\n", err);
		return -1;
	}
	return 0;
}

int
gw_cmd_validate(int argc, char **argv)
{
	struct gw_strv		 anchors_f = { { NULL }, 0 };
	struct gw_strv		 untrusted_f = { { NULL }, 0 };
	struct gw_strv		 crl_f = { { NULL }, 0 };
	struct gw_strv		 policies = { { NULL }, 0 };
	struct gw_strv		 ekus = { { NULL }, 0 };
	struct val_certs	 anchors = { NULL, 0 }, untrusted = { NULL, 0 };
	struct val_certs	 leafs = { NULL, 0 };
	struct val_crls		 crls = { NULL, 0 };
	struct val_chain_in	 in;
	struct val_chain_out	 out = { NULL, 0, -1 };
	struct val_purpose	 purpose;
	struct val_report	 rep, prep;
	struct val_profile	*profile = NULL;
	const struct val_certs	*sets[3];
	const struct val_cert	*vc;
	const char		*profile_name = NULL;
	json_t			*doc = NULL, *jchain, *jfind;
	char			 err[512], atbuf[VAL_TIME_LEN], *end;
	time_t			 at;
	long			 l;
	size_t			 i;
	int			 c, have_at = 0, have_purpose = 0, rc;
	int			 idx;

	memset(&in, 0, sizeof(in));
	memset(&purpose, 0, sizeof(purpose));
	val_report_init(&rep);
	val_report_init(&prep);
	rc = GW_EXIT_USAGE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", validate_opts, &idx)) != -1) {
		switch (c) {
		case 'h':
			fputs(validate_help, stdout);
			rc = GW_EXIT_OK;
			goto out;
		case OPT_ANCHORS:
			if (strv_add(&anchors_f, "anchors", optarg) != 0)
				goto out;
			break;
		case OPT_UNTRUSTED:
			if (strv_add(&untrusted_f, "untrusted", optarg) != 0)
				goto out;
			break;
		case OPT_CRL:
			if (strv_add(&crl_f, "crl", optarg) != 0)
				goto out;
			break;
		case OPT_AT:
			if (gw_parse_at("validate", optarg, &at) != 0)
				goto out;
			have_at = 1;
			break;
		case OPT_PROFILE:
			profile_name = optarg;
			break;
		case OPT_POLICY:
			if (valid_oid("policy", optarg) != 0 ||
			    strv_add(&policies, "policy", optarg) != 0)
				goto out;
			break;
		case OPT_EXPLICIT:
			in.explicit_policy = 1;
			break;
		case OPT_INHIBIT_MAP:
			in.inhibit_mapping = 1;
			break;
		case OPT_INHIBIT_ANY:
			in.inhibit_any = 1;
			break;
		case OPT_MAX_DEPTH:
			errno = 0;
			l = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    l < 1 || l > VAL_CHAIN_DEPTH_LIMIT) {
				fprintf(stderr, "xbrg validate: --max-depth: "
				    "not a number from 1 to %d: '%s'\n",
				    VAL_CHAIN_DEPTH_LIMIT, optarg);
				goto out;
			}
			in.max_depth = (int)l;
			break;
		case OPT_HOST:
			purpose.dns_name = optarg;
			have_purpose = 1;
			break;
		case OPT_IP:
			purpose.ip = optarg;
			have_purpose = 1;
			break;
		case OPT_EMAIL:
			purpose.email = optarg;
			have_purpose = 1;
			break;
		case OPT_EKU:
			if (valid_oid("eku", optarg) != 0 ||
			    strv_add(&ekus, "eku", optarg) != 0)
				goto out;
			have_purpose = 1;
			break;
		case OPT_NO_STRICT:
			in.flags |= VAL_CHAIN_NO_STRICT;
			break;
		case OPT_PARTIAL:
			in.flags |= VAL_CHAIN_PARTIAL;
			break;
		default:
			if (optopt != 0 && optopt < 256)
				fprintf(stderr, "xbrg validate: unknown "
				    "option '-%c'\n", optopt);
			else
				fprintf(stderr, "xbrg validate: unknown "
				    "option or missing argument: '%s'\n",
				    argv[optind - 1]);
			fputs("'xbrg validate --help' lists the options\n",
			    stderr);
			goto out;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "xbrg validate: %s\n", optind >= argc ?
		    "no LEAF certificate given" : "more than one LEAF given");
		fputs("'xbrg validate --help' lists the options\n", stderr);
		goto out;
	}
	if (anchors_f.n == 0) {
		fprintf(stderr, "xbrg validate: --anchors FILE is required\n");
		goto out;
	}
	if (purpose.ip != NULL) {
		ASN1_OCTET_STRING *ip = a2i_IPADDRESS(purpose.ip);

		if (ip == NULL) {
			fprintf(stderr, "xbrg validate: --ip: not an IPv4 or "
			    "IPv6 address: '%s'\n", purpose.ip);
			goto out;
		}
		ASN1_OCTET_STRING_free(ip);
	}
	if (!have_at)
		at = time(NULL);	/* the gateway owns the clock */

	for (i = 0; i < anchors_f.n; i++)
		if (load_certs(anchors_f.v[i], &anchors) != 0)
			goto out;
	for (i = 0; i < untrusted_f.n; i++)
		if (load_certs(untrusted_f.v[i], &untrusted) != 0)
			goto out;
	if (load_certs(argv[optind], &leafs) != 0)
		goto out;
	for (i = 0; i < crl_f.n; i++)
		if (val_crls_load_file(crl_f.v[i], &crls, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "xbrg validate: %s\n", err);
			goto out;
		}
	if (profile_name != NULL && (profile = val_profile_load(profile_name,
	    NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xbrg validate: --profile: %s\n", err);
		goto out;
	}
	/* Further certificates of LEAF join the pool. */
	if (leafs.n > 1) {
		struct val_cert *grown;

		grown = reallocarray(untrusted.v, untrusted.n + leafs.n - 1,
		    sizeof(*grown));
		if (grown == NULL) {
			fprintf(stderr, "xbrg validate: out of memory\n");
			goto out;
		}
		untrusted.v = grown;
		for (i = 1; i < leafs.n; i++)
			untrusted.v[untrusted.n++] = leafs.v[i];
		leafs.n = 1;
	}

	in.leaf = leafs.v[0].x509;
	in.anchors = &anchors;
	in.untrusted = &untrusted;
	in.crls = &crls;
	in.at = at;
	in.policies = policies.n > 0 ? policies.v : NULL;
	if (have_purpose) {
		purpose.ekus = ekus.n > 0 ? ekus.v : NULL;
		in.purpose = &purpose;
	}
	if (val_chain_check(&in, &out, &rep) != 0) {
		fprintf(stderr, "xbrg validate: %s: validation could not run "
		    "(out of memory or bad arguments)\n", argv[optind]);
		goto out;
	}
	if (profile != NULL) {
		sets[0] = &leafs;
		sets[1] = &untrusted;
		sets[2] = &anchors;
		for (c = 0; out.chain != NULL && c < sk_X509_num(out.chain);
		    c++) {
			vc = find_cert(sk_X509_value(out.chain, c), sets, 3);
			if (vc == NULL)
				continue;
			if (val_cert_check(vc, profile, at, &prep) != 0) {
				fprintf(stderr, "xbrg validate: %s: profile "
				    "checks could not run\n", vc->where);
				goto out;
			}
			if (val_report_move(&rep, &prep) != 0)
				goto out;
		}
	}

	val_time_format(at, atbuf);
	jchain = chain_json(out.chain);
	jfind = gw_json_findings(&rep);
	doc = json_pack("{s:s, s:s, s:s, s:s?, s:o?, s:o?}",
	    "file", argv[optind], "at", atbuf,
	    "verdict", val_report_verdict(&rep) == VAL_VERDICT_FAIL ?
	    "invalid" : "valid",
	    "profile", profile_name, "chain", jchain, "findings", jfind);
	if (doc == NULL || jchain == NULL || jfind == NULL) {
		fprintf(stderr, "xbrg validate: out of memory\n");
		goto out;
	}
	if (gw_json_print(doc) != 0) {
		doc = NULL;
		fprintf(stderr, "xbrg validate: cannot write output\n");
		goto out;
	}
	doc = NULL;
	rc = val_report_verdict(&rep) == VAL_VERDICT_FAIL ? GW_EXIT_NEG :
	    GW_EXIT_OK;
 out:
	json_decref(doc);
	val_profile_free(profile);
	val_chain_out_free(&out);
	val_report_clear(&rep);
	val_report_clear(&prep);
	val_crls_free(&crls);
	val_certs_free(&leafs);
	val_certs_free(&untrusted);
	val_certs_free(&anchors);
	return rc;
}
