/*
 * val.h: the validators' public interface.
 *
 * Validators are pure: a parsed object, a policy and a time go in, findings
 * come out.  They use only OpenSSL and their own helpers, do no I/O beyond
 * the explicit loaders below, never log and never read the clock.
 *
 * The findings model (val_rule, val_finding, val_report) is shared by every
 * folder: trustlists/ and gateway/ add findings the same way.
 */
#ifndef VAL_H
#define VAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <openssl/x509.h>

/* Hard limits, kept together for review. */
#define VAL_MAX_INPUT_BYTES	(4 * 1024 * 1024) /* one certificate file */
#define VAL_MAX_BUNDLE_CERTS	512	/* certificates in one file */
#define VAL_MAX_FINDINGS	2000	/* per report; the rest are counted */
#define VAL_MAX_DETAIL		512	/* bytes of one finding's detail */
#define VAL_MAX_DER_DEPTH	64	/* nesting in the strict-DER walk */
#define VAL_MAX_NC_PAIRS	(1 << 20) /* leaf SAN names x excluded
					   subtrees val_chain_extra compares
					   (OpenSSL's NAME_CHECK_MAX) */

/* The SM2 distinguishing ID of GM/T 0009-2012 clause 10. */
#define VAL_SM2_ID		"1234567812345678"
#define VAL_SM2_ID_LEN		16

/*
 * Findings.  Every rule is described once, with a stable code, a severity,
 * a citation and one line of text.  Rules live in static tables in code or
 * in profiles loaded from data files; either way they outlive the reports
 * that point at them.
 */
enum val_sev {
	VAL_INFO,
	VAL_WARN,
	VAL_ERROR,
	VAL_FATAL
};

struct val_rule {
	const char	*code;	/* stable forever: "CERT-EXT-DUP" */
	enum val_sev	 sev;
	const char	*cite;	/* "RFC 5280 4.2" */
	const char	*text;	/* one short line */
};

struct val_finding {
	const struct val_rule	*rule;	/* borrowed */
	char			*where;	/* owned: file, cert index, XPath */
	char			*detail; /* owned, may be NULL: offending value */
};

struct val_report {
	struct val_finding	*items;
	size_t			 n;
	size_t			 cap;
	size_t			 dropped; /* beyond VAL_MAX_FINDINGS */
	int			 oom;	/* an add failed for lack of memory */
};

enum val_verdict {
	VAL_VERDICT_PASS,	/* nothing above info */
	VAL_VERDICT_WARN,	/* warnings only */
	VAL_VERDICT_FAIL	/* an error or fatal finding */
};

void		 val_report_init(struct val_report *);
/* Frees every finding; the report may be reused. Safe on NULL. */
void		 val_report_clear(struct val_report *);
/*
 * Adds a finding for rule at where (may be NULL) with an optional printf
 * detail (fmt may be NULL).  Returns 0, or -1 when out of memory (then the
 * report's oom flag is set and its verdict is fail).
 */
int		 val_report_add(struct val_report *, const struct val_rule *,
		    const char *where, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
int		 val_report_addv(struct val_report *, const struct val_rule *,
		    const char *where, const char *fmt, va_list);
/* Moves every finding of src to the end of dst; src is left empty. */
int		 val_report_move(struct val_report *dst, struct val_report *src);
/* Returns 1 when a finding with this code is present. */
int		 val_report_has(const struct val_report *, const char *code);
/* Returns 1 when a fatal finding is present (later checks are noise). */
int		 val_report_fatal(const struct val_report *);
/* The only place that turns findings into a verdict. */
enum val_verdict val_report_verdict(const struct val_report *);
/* A stable text dump, one finding a line, for tests and debugging. */
void		 val_report_print(FILE *, const struct val_report *);

const char	*val_sev_name(enum val_sev);	/* "info", "warn", ... */
int		 val_sev_parse(const char *, enum val_sev *);
const char	*val_verdict_name(enum val_verdict); /* "pass", ... */

/*
 * Time.  RFC 3339 in ("2023-11-14T22:13:20Z", offsets and fractions
 * accepted), always UTC "Z" out.  Return 0 on success, -1 on bad input.
 */
#define VAL_TIME_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and NUL */
int		 val_time_parse(const char *, time_t *);
void		 val_time_format(time_t, char buf[VAL_TIME_LEN]);
int		 val_asn1_time(const ASN1_TIME *, time_t *);

/*
 * Certificate loading: PEM (one or many blocks), DER, or a bundle of
 * either.  Strict: a truncated or garbage input, or bytes after the last
 * certificate, is an error naming the file and what is wrong.  An input
 * OpenSSL can decode but that is not DER (indefinite lengths, non-minimal
 * lengths, ...) loads, with der_error saying why; linting reports it.
 */
struct val_cert {
	X509		*x509;	/* owned */
	unsigned char	*der;	/* owned: the exact bytes read */
	size_t		 der_len;
	char		*where;	/* owned: "file.pem" or "file.pem#2" */
	char		*der_error; /* owned, NULL when strict DER */
};

struct val_certs {
	struct val_cert	*v;
	size_t		 n;
};

/*
 * Parse len bytes named name into out (appending).  Returns 0, or -1 with
 * a message in err naming the input; out is then unchanged.
 */
int		 val_certs_load_mem(const unsigned char *, size_t,
		    const char *name, struct val_certs *out,
		    char *err, size_t errlen);
/* The same for a file, read with a VAL_MAX_INPUT_BYTES cap. */
int		 val_certs_load_file(const char *path, struct val_certs *out,
		    char *err, size_t errlen);
/* Frees every certificate; safe on NULL and on an empty set. */
void		 val_certs_free(struct val_certs *);

/*
 * Strict DER check of one encoded object: definite minimal lengths, no
 * constructed primitive types, no trailing bytes.  Returns 0 when strict,
 * else -1 with a reason (offset included) in why.
 */
int		 val_der_strict(const unsigned char *, size_t,
		    char *why, size_t whylen);

/* Reads a whole file with a cap.  Returns 0 and an owned buffer, or -1. */
int		 val_read_file(const char *path, size_t cap,
		    unsigned char **out, size_t *outlen,
		    char *err, size_t errlen);

/* RFC 2253 text of a name, UTF-8 kept.  Owned (free()), or NULL. */
char		*val_name_text(const X509_NAME *);

/* SHA-256 of a certificate's DER as 64 lower-case hex digits and NUL. */
void		 val_cert_sha256_hex(X509 *, char out[65]);

/*
 * Profiles (val_profile.c, val_cert*.c): data files in profiles/ listing
 * rules (code, severity, citation, text, parameters) that compose by
 * inclusion.  The certificate's role (CA, signing or encryption end entity)
 * is derived from the certificate itself.
 */
#define VAL_MAX_PROFILE_BYTES	(256 * 1024)
struct val_profile;

/*
 * Loads profile name from dir (NULL: $XBRG_PROFILE_DIR, else the profiles/
 * folder of the source tree the binary was built in).  Returns an owned
 * profile (pass to val_profile_free()) or NULL with a message in err.
 */
struct val_profile *val_profile_load(const char *name, const char *dir,
		    char *err, size_t errlen);
void		 val_profile_free(struct val_profile *);	/* NULL-safe */
const char	*val_profile_name(const struct val_profile *);
/* The composed profile's rules in order: count, and rule i (borrowed from
 * the profile, NULL past the end). */
size_t		 val_profile_nrules(const struct val_profile *);
const struct val_rule *val_profile_rule(const struct val_profile *, size_t);
/* Adds findings to rep.  Returns 0 if the checks ran, -1 if they could
 * not. */
int		 val_cert_check(const struct val_cert *,
		    const struct val_profile *, time_t now,
		    struct val_report *);

/*
 * What a caller expects the leaf certificate to be good for (relying
 * parties, TLS peers, x509-limbo).  Unset fields are not checked.
 */
struct val_purpose {
	const char	*dns_name;
	const char	*ip;		/* textual IPv4 or IPv6 */
	const char	*email;
	const char	*const *ekus;	/* dotted OIDs, NULL-terminated */
	unsigned	 key_usage;	/* X509v3_KU_* bits the leaf must have */
	unsigned	 flags;		/* VAL_PURPOSE_* */
	unsigned	 max_depth;	/* with VAL_PURPOSE_MAX_DEPTH: at most
					 * this many intermediates, self-issued
					 * ones not counted (RFC 5280 6.1.4) */
};
/* Also apply the CA/Browser Forum TLS Baseline Requirements (web PKI). */
#define VAL_PURPOSE_WEBPKI	0x01
/* max_depth is set (0 is a valid limit: leaf and anchor only). */
#define VAL_PURPOSE_MAX_DEPTH	0x02
/*
 * RFC 5280's structural rules that X509_V_FLAG_X509_STRICT checks (AKI,
 * SKI, basicConstraints criticality, empty names, version) are errors in
 * val_chain_extra() (val_chain.c reports them as warnings only, and drops
 * its warning where val_chain_extra() reports the same problem).
 */
#define VAL_PURPOSE_STRICT	0x04

/*
 * Chain checks OpenSSL 3.0's X509_verify_cert() misses (val_chain_extra.c),
 * run on a chain it built: leaf first, trust anchor last.  Adds findings.
 * Returns 0 if the checks ran, -1 if they could not.
 */
int		 val_chain_extra(STACK_OF(X509) *chain,
		    const struct val_purpose *, time_t at,
		    struct val_report *);
/*
 * CRL checks OpenSSL 3.0 misses (val_chain_extra.c), for each CRL path
 * validation uses (val_chain_check() calls it): cRLNumber present (RFC 5280 5.2.3, an error),
 * authorityKeyIdentifier present (5.2.1, a warning).  Adds findings at
 * where (may be NULL).  Returns 0 if the checks ran, -1 if they could not.
 */
int		 val_crl_extra(X509_CRL *, const char *where,
		    struct val_report *);
/* val_chain_extra()'s and val_crl_extra()'s rules: a static table of *n. */
const struct val_rule *val_chain_extra_rules(size_t *n);

/*
 * CRLs (val_crl.c): PEM (one or many blocks) or DER, strict like the
 * certificate loader: garbage, truncation or trailing bytes are an error
 * naming the file.
 */
#define VAL_MAX_CRL_BYTES	(16 * 1024 * 1024) /* one CRL file */
#define VAL_MAX_CRLS		256	/* CRLs in one set */

struct val_crl {
	X509_CRL	*crl;	/* owned */
	char		*where;	/* owned: "file.crl" or "file.crl#2" */
	/* Owned reference, NULL until val_crls_sm2_prepare() verified this
	 * SM2 CRL with the GM/T 0009 ID: the issuer key that did. */
	EVP_PKEY	*sm2_key;
};

struct val_crls {
	struct val_crl	*v;
	size_t		 n;
};

/*
 * Parse len bytes named name into out (appending).  Returns 0, or -1 with
 * a message in err naming the input; out is then unchanged.
 */
int		 val_crls_load_mem(const unsigned char *, size_t,
		    const char *name, struct val_crls *out,
		    char *err, size_t errlen);
/* The same for a file, read with a VAL_MAX_CRL_BYTES cap. */
int		 val_crls_load_file(const char *path, struct val_crls *out,
		    char *err, size_t errlen);
/* Frees every CRL; safe on NULL and on an empty set. */
void		 val_crls_free(struct val_crls *);
/*
 * Verifies each SM2-signed CRL of crls once, with the GM/T 0009 ID, against
 * the certificates of issuers named like its issuer, and keeps the key
 * that verified it, so that val_chain_check() need not verify it again on
 * every call.  For servers, at load time (not thread-safe; the checks
 * themselves stay read-only).  Returns how many verified, or -1 when out of
 * memory.
 */
int		 val_crls_sm2_prepare(struct val_crls *,
		    const struct val_certs *issuers);

/*
 * Path validation (val_chain.c): RFC 5280 section 6 through OpenSSL's
 * X509_STORE at a caller-given time.  Every OpenSSL reason becomes a
 * finding with a stable code (CHAIN-*); the chain is valid when
 * val_report_verdict() is not VAL_VERDICT_FAIL.
 *
 * SM2: the GM/T 0009 ID (VAL_SM2_ID) is set on every SM2 certificate of
 * anchors, untrusted and leaf that has none yet (this mutates the X509
 * objects once; callers sharing certificates between threads call
 * val_chain_sm2_prepare() on them first).  SM2-signed CRLs are verified
 * with that ID by val_chain.c itself; an SM2 CRL that does not verify with
 * it is never used.
 */
#define VAL_CHAIN_MAX_DEPTH	8	/* default: intermediates between
					   leaf and anchor (OpenSSL's depth) */
#define VAL_CHAIN_DEPTH_LIMIT	32	/* largest max_depth accepted */
#define VAL_MAX_POLICIES	32	/* OIDs in the initial policy set */
#define VAL_ANY_POLICY		"2.5.29.32.0"

/* val_chain_in.flags */
#define VAL_CHAIN_NO_STRICT	0x01	/* drop X509_V_FLAG_X509_STRICT */
#define VAL_CHAIN_PARTIAL	0x02	/* a non-self-signed anchor ends the
					   path (X509_V_FLAG_PARTIAL_CHAIN) */
#define VAL_CHAIN_NO_REVOCATION	0x04	/* no CRL checks even with crls */

struct val_chain_in {
	X509			*leaf;		/* required */
	const struct val_certs	*anchors;	/* required, trusted */
	const struct val_certs	*untrusted;	/* may be NULL */
	/*
	 * May be NULL or empty: then revocation is not checked and an info
	 * finding CHAIN-REV-UNCHECKED says so.  Otherwise every certificate
	 * of the path needs a CRL (CRL_CHECK|CRL_CHECK_ALL, extended CRL
	 * support, delta CRLs).
	 */
	const struct val_crls	*crls;
	time_t			 at;		/* validation time */
	/*
	 * user-initial-policy-set as dotted OIDs, NULL-terminated.  NULL
	 * means RFC 5280's default {anyPolicy} (passed to OpenSSL
	 * explicitly, since OpenSSL's own default is the empty set).
	 */
	const char *const	*policies;
	int			 explicit_policy;	/* initial-explicit-policy */
	int			 inhibit_mapping;	/* initial-policy-mapping-inhibit */
	int			 inhibit_any;		/* initial-any-policy-inhibit */
	int			 max_depth;	/* 0: VAL_CHAIN_MAX_DEPTH */
	const struct val_purpose *purpose;	/* may be NULL */
	unsigned		 flags;		/* VAL_CHAIN_* */
};

struct val_chain_out {
	/* Owned (pass to val_chain_out_free()): the chain OpenSSL built,
	 * leaf first, anchor last; NULL when none was built. */
	STACK_OF(X509)	*chain;
	int		 ossl_error;	/* first X509_V_ERR_*, X509_V_OK if none */
	int		 ossl_depth;	/* its depth, -1 if none */
};

/*
 * Validates in->leaf.  Adds findings to rep (OpenSSL's reasons mapped to
 * CHAIN-* codes, with a purpose its peer-name and TLS purpose checks too;
 * val_crl_extra()'s on each CRL OpenSSL uses; then val_chain_extra()'s,
 * with or without a purpose, when the built chain reaches an anchor, an
 * OpenSSL finding it states more precisely being dropped).
 * out may be NULL; when not, it is filled whatever the verdict.  Returns 0
 * if the checks ran (the verdict is val_report_verdict(rep)), -1 if they
 * could not (bad arguments, out of memory).
 */
int		 val_chain_check(const struct val_chain_in *,
		    struct val_chain_out *, struct val_report *);
/* Frees out's chain; safe on NULL; out may be reused. */
void		 val_chain_out_free(struct val_chain_out *);
/* Sets the GM/T 0009 ID on each SM2 certificate of certs (NULL-safe). */
int		 val_chain_sm2_prepare(const struct val_certs *);
/* The rule with this CHAIN-* code, or NULL (for tests and docs). */
const struct val_rule *val_chain_rule(const char *code);

#endif /* VAL_H */
