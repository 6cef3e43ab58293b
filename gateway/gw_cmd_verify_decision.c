/*
 * gw_cmd_verify_decision.c: `xbrg verify-decision FILE [--signer CERT]`
 * verifies a signed recognition decision offline (DER or PEM CMS) and
 * prints a JSON verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gw.h"
#include "gw_cms_int.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: xbrg verify-decision FILE [--signer CERT]\n"
	    "\n"
	    "FILE may be - for standard input.\n"
	    "Verifies a signed recognition decision (CMS SignedData, DER or\n"
	    "PEM) offline: strict DER, content type, message digest, signing\n"
	    "time, the SM2 (ID 1234567812345678) or ECDSA P-256 signature\n"
	    "over the signed attributes, and the signer certificate.\n"
	    "\n"
	    "  --signer CERT  require the signer to be this certificate (PEM\n"
	    "                 or DER): the gateway's published decision-\n"
	    "                 signing certificate.  Without it the embedded\n"
	    "                 certificate is used and only integrity is\n"
	    "                 proven, not who signed.\n"
	    "\n"
	    "Prints {\"verdict\",\"signer\",\"signing_time\",\"decision\","
	    "\"findings\"}.\n"
	    "Exit status: 0 valid, 1 invalid, 2 usage or unreadable input.\n");
}

/* Reads standard input, at most cap bytes.  Returns 0 or -1 with err. */
static int
read_stdin(size_t cap, unsigned char **out, size_t *outlen, char *err,
    size_t errlen)
{
	unsigned char	*b = NULL, *nb;
	size_t		 n = 0, sz = 0, r;

	for (;;) {
		if (n == sz) {
			sz = sz == 0 ? 65536 : sz * 2;
			if (sz > cap + 1)
				sz = cap + 1;
			if ((nb = realloc(b, sz)) == NULL) {
				free(b);
				snprintf(err, errlen, "stdin: out of memory");
				return -1;
			}
			b = nb;
		}
		r = fread(b + n, 1, sz - n, stdin);
		n += r;
		if (n > cap) {
			free(b);
			snprintf(err, errlen, "stdin: more than %zu bytes", cap);
			return -1;
		}
		if (r == 0)
			break;
	}
	if (ferror(stdin)) {
		free(b);
		snprintf(err, errlen, "stdin: read error");
		return -1;
	}
	*out = b;
	*outlen = n;
	return 0;
}

static X509 *
load_cert(const char *path)
{
	unsigned char		*b = NULL;
	const unsigned char	*p;
	size_t			 n;
	char			 err[256];
	BIO			*bio = NULL;
	X509			*x = NULL;

	if (val_read_file(path, VAL_MAX_INPUT_BYTES, &b, &n, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "xbrg verify-decision: --signer: %s\n", err);
		return NULL;
	}
	if (n > 11 && memcmp(b, "-----BEGIN ", 11) == 0) {
		if ((bio = BIO_new_mem_buf(b, (int)n)) != NULL)
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	} else {
		p = b;
		x = d2i_X509(NULL, &p, (long)n);
		if (x != NULL && p != b + n) {
			X509_free(x);
			x = NULL;
		}
	}
	if (x == NULL)
		fprintf(stderr, "xbrg verify-decision: --signer: %s: not a "
		    "PEM or DER certificate\n", path);
	ERR_clear_error();
	BIO_free(bio);
	free(b);
	return x;
}

int
gw_cmd_verify_decision(int argc, char **argv)
{
	struct val_report	 rep;
	struct gw_cms_info	 info;
	const char		*file = NULL, *signer_path = NULL;
	unsigned char		*der = NULL;
	size_t			 len;
	X509			*pin = NULL;
	json_t			*doc = NULL, *out = NULL, *sig, *f;
	char			 err[256], tbuf[VAL_TIME_LEN], *subj;
	int			 i, rc = GW_EXIT_USAGE, valid;

	val_report_init(&rep);
	memset(&info, 0, sizeof(info));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return GW_EXIT_OK;
		} else if (strcmp(argv[i], "--signer") == 0) {
			if (++i == argc) {
				fprintf(stderr, "xbrg verify-decision: "
				    "--signer needs a certificate file\n");
				usage(stderr);
				return GW_EXIT_USAGE;
			}
			signer_path = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "xbrg verify-decision: unknown option "
			    "'%s'\n", argv[i]);
			usage(stderr);
			return GW_EXIT_USAGE;
		} else if (file != NULL) {
			fprintf(stderr, "xbrg verify-decision: one FILE only "
			    "('%s' and '%s')\n", file, argv[i]);
			return GW_EXIT_USAGE;
		} else
			file = argv[i];
	}
	if (file == NULL) {
		fprintf(stderr, "xbrg verify-decision: no FILE given (a DER "
		    "or PEM decision, or - for standard input)\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if (signer_path != NULL && (pin = load_cert(signer_path)) == NULL)
		goto out;
	if ((strcmp(file, "-") == 0 ? read_stdin(GW_MAX_CMS_BYTES, &der, &len,
	    err, sizeof(err)) : val_read_file(file, GW_MAX_CMS_BYTES, &der,
	    &len, err, sizeof(err))) != 0) {
		fprintf(stderr, "xbrg verify-decision: %s\n", err);
		goto out;
	}
	if (gw_decision_verify(der, len, pin, &doc, &info, &rep) != 0) {
		fprintf(stderr, "xbrg verify-decision: out of memory\n");
		goto out;
	}
	valid = val_report_verdict(&rep) != VAL_VERDICT_FAIL && doc != NULL;
	if ((out = json_object()) == NULL)
		goto out;
	json_object_set_new(out, "verdict", json_string(valid ? "valid" :
	    "invalid"));
	if (info.signer != NULL) {
		subj = val_name_text(X509_get_subject_name(info.signer));
		sig = json_pack("{s:s?, s:s, s:s?}", "subject", subj,
		    "sha256", info.signer_sha256, "algorithm",
		    info.has_alg ? gw_sig_alg_name(info.alg) : NULL);
		free(subj);
		json_object_set_new(out, "signer", sig != NULL ? sig :
		    json_null());
	} else
		json_object_set_new(out, "signer", json_null());
	if (info.has_signing_time) {
		val_time_format(info.signing_time, tbuf);
		json_object_set_new(out, "signing_time", json_string(tbuf));
	} else
		json_object_set_new(out, "signing_time", json_null());
	json_object_set_new(out, "decision", doc != NULL ? doc : json_null());
	doc = NULL;
	if ((f = gw_json_findings(&rep)) == NULL)
		goto out;
	json_object_set_new(out, "findings", f);
	if (gw_json_print(out) != 0) {
		out = NULL;
		fprintf(stderr, "xbrg verify-decision: write error\n");
		goto out;
	}
	out = NULL;
	rc = valid ? GW_EXIT_OK : GW_EXIT_NEG;
 out:
	json_decref(out);
	json_decref(doc);
	gw_cms_info_free(&info);
	val_report_clear(&rep);
	X509_free(pin);
	free(der);
	return rc;
}
