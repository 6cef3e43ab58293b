/*
 * gw.h: the gateway's public interface: the command-line entry points and
 * the helpers every command and HTTP handler shares.  gw_* calls val_*,
 * tl_* and st_*; none of those calls back.
 */
#ifndef GW_H
#define GW_H

#include <jansson.h>

#include "val.h"

/* Command-line entry points: argv[0] is the command's own name. Each
 * returns the process exit code (0 ok, 1 negative result, 2 usage). */
int	gw_cmd_lint(int, char **);
int	gw_cmd_validate(int, char **);
int	gw_cmd_tl(int, char **);
int	gw_cmd_serve(int, char **);
int	gw_cmd_audit(int, char **);
int	gw_cmd_verify_decision(int, char **);
/* `xbrg tl status` (gw_tl_status.c), called by the tl dispatcher. */
int	gw_tl_status(int, char **);

/* Exit codes shared by every command. */
#define GW_EXIT_OK	0
#define GW_EXIT_NEG	1	/* invalid, failed, not granted */
#define GW_EXIT_USAGE	2	/* usage error or unreadable input */

/*
 * Renders findings as a JSON array of {"code","severity","cite","message",
 * "where"} ("detail" when present).  Returns a new reference or NULL.
 */
json_t	*gw_json_findings(const struct val_report *);
/* Prints v to stdout, indented, with a final newline; steals v. Returns 0
 * or -1. */
int	 gw_json_print(json_t *);
/* Parses an RFC 3339 --at argument or prints a usage error naming it. */
int	 gw_parse_at(const char *cmd, const char *arg, time_t *);

/*
 * Signed recognition decisions (gw_signer.c, gw_cms.c, gw_decision.c).
 *
 * A decision is a JSON document signed by the gateway as CMS SignedData
 * (RFC 5652): the document encapsulated (id-data), signed attributes
 * content-type, message-digest, signing-time (and signingCertificateV2),
 * the signer's certificate included.  Default algorithm SM2 with SM3 and
 * the standard user ID 1234567812345678 (GM/T 0009, GM/T 0010 with the
 * RFC 5652 content-type OIDs); ECDSA P-256 with SHA-256 as an option.
 */
#define GW_MAX_CMS_BYTES	(1024 * 1024)	/* one signed decision */
#define GW_MAX_DECISION_JSON	(256 * 1024)	/* its encapsulated JSON */
#define GW_MAX_CMS_CERTS	16	/* certificates in one SignedData */

enum gw_sig_alg {
	GW_SIG_SM2,		/* SM2 + SM3, ID 1234567812345678 */
	GW_SIG_ECDSA_P256	/* ECDSA P-256 + SHA-256 */
};
/* "sm2-sm3" or "ecdsa-p256-sha256". */
const char	*gw_sig_alg_name(enum gw_sig_alg);

struct gw_signer;
/*
 * Loads a decision-signing key and its certificate from PEM files; the
 * algorithm is detected from the key (SM2 or EC P-256, anything else is
 * refused), and the key must match the certificate.  Returns an owned
 * signer (pass to gw_signer_free()) or NULL with a message in err.
 * A loaded signer is read-only and may be shared by threads.
 */
struct gw_signer *gw_signer_load(const char *key_pem_path,
		    const char *cert_pem_path, char *err, size_t errlen);
/* The same from PEM bytes in memory. */
struct gw_signer *gw_signer_load_mem(const char *key_pem, size_t keylen,
		    const char *cert_pem, size_t certlen,
		    char *err, size_t errlen);
void		 gw_signer_free(struct gw_signer *);	/* NULL-safe */
enum gw_sig_alg	 gw_signer_alg(const struct gw_signer *);
X509		*gw_signer_cert(const struct gw_signer *);	/* borrowed */

/*
 * Low level: signs content (any bytes, at most GW_MAX_DECISION_JSON) into
 * DER SignedData with signing-time t.  Returns 0 and an owned buffer
 * (free()) in *der, or -1 with a message in err.
 */
int		 gw_cms_sign(const struct gw_signer *, const unsigned char *,
		    size_t, time_t t, unsigned char **der, size_t *derlen,
		    char *err, size_t errlen);

/* What a verification learned; fields are set as far as parsing got. */
struct gw_cms_info {
	unsigned char	*content;	/* owned: encapsulated content */
	size_t		 content_len;
	X509		*signer;	/* owned: the signer's certificate */
	char		 signer_sha256[65]; /* hex of its DER, "" unknown */
	enum gw_sig_alg	 alg;
	int		 has_alg;
	time_t		 signing_time;
	int		 has_signing_time;
	/* Added for gw_cms_verify_any(); also set by gw_cms_verify(). */
	STACK_OF(X509)	*certs;		/* owned: every certificate parsed */
	char		 alg_name[32];	/* "sm2-sm3", "ecdsa-sha384", ... */
	int		 detached;	/* content came from the caller */
};
void		 gw_cms_info_free(struct gw_cms_info *);	/* NULL-safe */

/*
 * Verifies DER (or PEM "CMS"/"PKCS7") SignedData: strict DER, content
 * type, message digest, the signature over the DER SET OF signed
 * attributes, the signer certificate matching the SignerIdentifier and,
 * when pinned is not NULL, being that certificate.  Chain building is not
 * done here (pin the gateway's certificate).  Adds findings (codes CMS-*)
 * to rep and fills info (may be NULL; free with gw_cms_info_free()).
 * Returns 0 if the checks ran (val_report_verdict() judges), -1 if they
 * could not (out of memory).
 */
int		 gw_cms_verify(const unsigned char *, size_t, X509 *pinned,
		    struct gw_cms_info *info, struct val_report *rep);
/*
 * The same checks for relying parties' signatures (POST /v1/validate
 * "cms"): one SignerInfo; content encapsulated, or detached and given in
 * content/contentlen (content NULL: none); any encapsulated content type
 * (the content-type attribute must match it); signed attributes optional
 * (without them the signature covers the content); SM2 with SM3 and the
 * standard ID (which CMS_verify() cannot check), ECDSA with SHA-256/384/
 * 512, RSA PKCS#1 v1.5 with SHA-256/384/512.  No signer pinning and no
 * chain: build and validate the chain of info->signer (with the other
 * certificates in info->certs) with the validators.  The SignedData is
 * at most GW_MAX_CMS_BYTES (CMS-TOO-LARGE).  Returns 0 if the checks ran,
 * -1 if they could not.
 */
int		 gw_cms_verify_any(const unsigned char *, size_t,
		    const unsigned char *content, size_t contentlen,
		    struct gw_cms_info *info, struct val_report *rep);

/*
 * The decision document.  gw_decision_doc() builds it in a stable key
 * order from the fields below (NULL/0 fields are left out, arrays are
 * NULL-terminated); gw_decision_sign() checks a document (required keys,
 * known action, no unknown keys), serializes it compactly in that same
 * key order and signs it.  Shape:
 *   {"type":"xbrg-recognition-decision","version":1,
 *    "decision_id","dossier_id","action",
 *    "ca":{"legal_name","country","registration_id",
 *          "certificates":[{"subject","sha256"}]},
 *    "scope":{"certificate_types":[],"application_scenarios":[]},
 *    "validity":{"not_before","not_after"},
 *    "conditions":[],"reviewers":[],"comment","decided_at"}
 */
#define GW_DECISION_TYPE	"xbrg-recognition-decision"
struct gw_decision {
	const char		*decision_id;	/* required */
	const char		*dossier_id;	/* required */
	const char		*action;	/* approve reject suspend
						   reinstate revoke withdraw */
	const char		*ca_legal_name;
	const char		*ca_country;
	const char		*ca_registration_id;
	X509			*const *ca_certs; /* fingerprints; may be NULL */
	size_t			 ca_ncerts;
	const char		*const *certificate_types;
	const char		*const *application_scenarios;
	time_t			 not_before;	/* 0: absent */
	time_t			 not_after;	/* 0: absent */
	const char		*const *conditions;
	const char		*const *reviewers;
	const char		*comment;
	time_t			 decided_at;	/* required */
};
/* Returns a new reference to the document, or NULL with err set. */
json_t		*gw_decision_doc(const struct gw_decision *,
		    char *err, size_t errlen);
/* 1 when s is one of the six actions. */
int		 gw_decision_action_ok(const char *s);
/*
 * Checks and signs doc at time now.  Returns 0 and owned DER (free()), or
 * -1 with a message in err naming the offending key.
 */
int		 gw_decision_sign(const struct gw_signer *, const json_t *doc,
		    time_t now, unsigned char **der, size_t *derlen,
		    char *err, size_t errlen);
/*
 * Verifies a signed decision (gw_cms_verify() plus: the content is a
 * decision document of the shape above).  On a verdict that is not fail,
 * *doc_out (may be NULL) gets a new reference to the document.  info may be
 * NULL.  Returns 0 if the checks ran, -1 if they could not.
 */
int		 gw_decision_verify(const unsigned char *, size_t,
		    X509 *pinned, json_t **doc_out, struct gw_cms_info *info,
		    struct val_report *rep);

/*
 * Revocation for relying-party validation (gw_revoc.c): CRLs from the
 * certificates' CRL distribution points and OCSP from their AIA, fetched
 * over http with libcurl (timeouts, size caps), verified (SM2 signatures
 * with the standard ID), and cached in memory until their nextUpdate; or
 * supplied by the caller (base64 DER in the request) for offline use.
 * One struct gw_revoc is shared by every thread of the service.
 */
#define GW_REVOC_MAX_BYTES	(8 * 1024 * 1024) /* one CRL or response */
#define GW_REVOC_CONNECT_MS	2000
#define GW_REVOC_TOTAL_MS	5000
#define GW_REVOC_MAX_URL	1024
#define GW_REVOC_MAX_SUPPLIED	64	/* CRLs or responses in a request */
#define GW_REVOC_CACHE_MAX	1024	/* cached URLs */

enum gw_revoc_status {
	GW_REVOC_GOOD,
	GW_REVOC_REVOKED,
	GW_REVOC_UNKNOWN	/* nothing usable: see the findings */
};
enum gw_revoc_source {
	GW_REVOC_SRC_NONE,
	GW_REVOC_SRC_SUPPLIED,
	GW_REVOC_SRC_CACHE,
	GW_REVOC_SRC_FETCHED
};
const char	*gw_revoc_status_name(enum gw_revoc_status); /* "good" */
const char	*gw_revoc_source_name(enum gw_revoc_source); /* "cache" */

struct gw_revoc_policy {
	int		 soft_fail;	/* unknown is a warning, not an error */
	int		 fetch;		/* 0: offline, supplied data only */
	int		 prefer_crl;	/* try CRL before OCSP */
	long		 connect_ms;	/* 0: GW_REVOC_CONNECT_MS */
	long		 total_ms;	/* 0: GW_REVOC_TOTAL_MS */
	size_t		 max_bytes;	/* 0: GW_REVOC_MAX_BYTES */
	/* Test hook: a curl CONNECT_TO entry ("HOST:PORT:127.0.0.1:N"),
	 * NULL in service. */
	const char	*connect_to;
	/* Refuse to connect to loopback, private, link-local, CGNAT and
	 * multicast addresses (checked after name resolution, redirects
	 * included): a guard against URLs in certificates the requester
	 * made up.  xbrg serve sets it unless revocation_fetch_private. */
	int		 no_private;
};

/* Supplied revocation data (parsed from a request). */
struct gw_revoc_supplied;
/*
 * Parses the "crls" and "ocsp" members of a request object (arrays of
 * base64 DER; both optional).  Returns 0 and an owned set in *out (NULL
 * when neither member is present), or -1 with err naming the bad member
 * and index ("crls[2]: not base64").
 */
int		 gw_revoc_supplied_from_json(const json_t *req,
		    struct gw_revoc_supplied **out, char *err, size_t errlen);
/* Adds one DER CRL or OCSPResponse.  Return 0 or -1 with err. */
int		 gw_revoc_supplied_add_crl(struct gw_revoc_supplied **,
		    const unsigned char *, size_t, char *err, size_t errlen);
int		 gw_revoc_supplied_add_ocsp(struct gw_revoc_supplied **,
		    const unsigned char *, size_t, char *err, size_t errlen);
void		 gw_revoc_supplied_free(struct gw_revoc_supplied *);

struct gw_revoc;
/* Returns an owned fetcher+cache (gw_revoc_free()) or NULL. The policy is
 * copied (connect_to included). */
struct gw_revoc	*gw_revoc_new(const struct gw_revoc_policy *);
void		 gw_revoc_free(struct gw_revoc *);	/* NULL-safe */

/* Counters, for /metrics and tests. */
struct gw_revoc_stats {
	unsigned long	 fetches;	/* HTTP requests made */
	unsigned long	 fetch_errors;
	unsigned long	 cache_hits;
	unsigned long	 cached;	/* entries now */
};
void		 gw_revoc_stats(struct gw_revoc *, struct gw_revoc_stats *);

/* The answer for one certificate of the chain. */
struct gw_revoc_result {
	enum gw_revoc_status	 status;
	enum gw_revoc_source	 source;
	const char		*method;	/* "crl", "ocsp" or NULL */
	char			 url[GW_REVOC_MAX_URL]; /* "" supplied */
	time_t			 this_update;
	time_t			 next_update;	/* 0: none */
	time_t			 revoked_at;	/* when revoked */
	int			 reason;	/* CRL reason, -1 none */
};

/*
 * Checks every certificate of a validated chain (leaf first, trust anchor
 * last; the anchor itself is not checked) at time at, using supplied data
 * (may be NULL) first, then the cache, then the network (when the policy
 * fetches); now is the clock for cache expiry.  out gets
 * sk_X509_num(chain) - 1 results (out[i] for chain[i]; none for a chain
 * of the anchor alone).  Adds findings
 * REVOC-* to rep (revoked: error; unknown: error, or warn with soft_fail).
 * r may be NULL: supplied data only, hard-fail policy.  Thread-safe.
 * Returns 0 if the checks ran, -1 if they could not.
 */
int		 gw_revoc_check(struct gw_revoc *, STACK_OF(X509) *chain,
		    const struct gw_revoc_supplied *, time_t at, time_t now,
		    struct gw_revoc_result *out, size_t nout,
		    struct val_report *rep);
/* Renders results as [{"index","subject","status","source","method",
 * "url","this_update","next_update","revoked_at"}]; a new reference. */
json_t		*gw_revoc_json(STACK_OF(X509) *chain,
		    const struct gw_revoc_result *, size_t n);

#endif /* GW_H */
