/*
 * gw_svc.h: the gateway's service layer.  The HTTP handlers (and the
 * tests) call these functions; they decode request bodies, check who may
 * do what, run the dossier checks, drive the review lifecycle, sign
 * decisions and talk to the store (st.h).  Nothing here knows HTTP: each
 * call returns an enum gw_svc_status that the HTTP layer maps to a status
 * code with gw_svc_http_status(), plus an error (code, message, field).
 *
 * Time is always a parameter (now, at); nothing below reads the clock.
 *
 * A struct gw_svc is safe to use from many threads at once: the store
 * hands each concurrent call its own SQLite connection, and every write is
 * one BEGIN IMMEDIATE transaction (state change, audit entry and decision
 * together).
 *
 * Outputs are jansson values the caller owns (json_decref); on error *out
 * is left NULL.  JSON shapes are documented in README.md ("Dossiers,
 * review and audit") and are only ever extended.
 */
#ifndef GW_SVC_H
#define GW_SVC_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "val.h"

/* Hard limits, kept together for review. */
#define GW_MAX_DOSSIER_BYTES	(2 * 1024 * 1024) /* body: over is 413 */
#define GW_MAX_REVIEW_BYTES	(64 * 1024)	/* review/complaint body */
#define GW_MAX_JSON_DEPTH	16	/* nesting of any request body */
#define GW_MAX_NAME		256	/* legal name, bodies, issuers */
#define GW_MAX_SHORT		128	/* ids, kinds, standards, scenarios */
#define GW_MAX_TEXT		4096	/* comments, complaint text */
#define GW_MAX_AUDITS		32	/* qualifications.audits */
#define GW_MAX_TYPES		8	/* certificate_types */
#define GW_MAX_STANDARDS	32	/* technical_standards */
#define GW_MAX_SCENARIOS	32	/* application_scenarios */
#define GW_MAX_CA_CHAIN		8	/* ca_chain entries */
#define GW_MAX_SAMPLES		16	/* sample_certificates */
#define GW_MAX_PEM		(64 * 1024) /* one PEM string */
#define GW_MAX_CONDITIONS	16	/* conditions of an approval */
#define GW_MAX_LIST		1000	/* rows in one list reply */
#define GW_MAX_CAPITAL		1000000000000000LL /* 1e15, any currency */
#define GW_MAX_STAFF		10000000
#define GW_ID_MAX		40	/* "dos_" + 32 hex + NUL fits */
#define GW_MAX_FIELD		256	/* a field path in an error */

/* Outcome of every service call; gw_svc_http_status() maps it. */
enum gw_svc_status {
	GW_SVC_OK = 0,		/* 200 (201 for creations) */
	GW_SVC_BAD_REQUEST,	/* 400: not JSON, duplicate key, unknown
				 * field, wrong type, missing field */
	GW_SVC_FORBIDDEN,	/* 403: role or tenant may not do this */
	GW_SVC_NOT_FOUND,	/* 404: no such object (or not visible) */
	GW_SVC_CONFLICT,	/* 409: illegal transition, four-eyes */
	GW_SVC_TOO_LARGE,	/* 413: body over the limit */
	GW_SVC_UNPROCESSABLE,	/* 422: well-formed but unacceptable value
				 * (bad PEM, unknown scenario, bad date) */
	GW_SVC_INTERNAL		/* 500: store or signer failure */
};

struct gw_svc_err {
	enum gw_svc_status	 status;
	char			 code[64];	/* stable: "dossier-unknown-field" */
	char			 message[256];
	char			 field[GW_MAX_FIELD]; /* "" when none applies:
				 * "qualifications.audits[0].sah256" */
};

/* 200, 400, 403, 404, 409, 413, 422 or 500. */
int		 gw_svc_http_status(enum gw_svc_status);
/* {"error":{"code","message","field"}} ("field" only when set); new
 * reference or NULL. */
json_t		*gw_svc_err_json(const struct gw_svc_err *);

/*
 * Who is calling.  The HTTP layer fills this from the client certificate
 * and the role mapping of its configuration; relying parties are
 * GW_ROLE_PUBLIC with id "public".  Strings are borrowed for the call.
 */
enum gw_role {
	GW_ROLE_PUBLIC,		/* relying party, no client certificate */
	GW_ROLE_SUBMITTER,	/* a foreign CA: tenant is its identity */
	GW_ROLE_REVIEWER,	/* MIIT reviewer */
	GW_ROLE_ADMIN		/* configuration and keys; reads everything */
};

struct gw_actor {
	enum gw_role	 role;
	const char	*id;	/* principal, e.g. "reviewer-a"; never NULL */
	const char	*tenant; /* submitters: the CA tenant, e.g. "ca-a";
				 * NULL for others */
};

const char	*gw_role_name(enum gw_role);	/* "submitter", ... */
int		 gw_role_parse(const char *, enum gw_role *); /* 0 or -1 */

/*
 * Opening the service.  Everything but db_path may be NULL:
 *   policy_path	NULL: policy.json in the profile folder (below)
 *   profile_dir	NULL: val_profile_load()'s default folder
 *   tl_cache_dir	the trust lists' verified cache (xbrg tl sync);
 *			NULL: dossiers get a DOSSIER-TL-UNCHECKED finding
 *   signer		borrowed decision signer (gw_signer_load() in gw.h);
 *			it must outlive the service.  NULL: the service
 *			opens, but every action that must issue a decision
 *			fails with GW_SVC_INTERNAL "signer-missing".
 */
struct gw_signer;

struct gw_svc_conf {
	const char		*db_path;
	const char		*policy_path;
	const char		*profile_dir;
	const char		*tl_cache_dir;
	const struct gw_signer	*signer;
};

struct gw_svc;

/*
 * Opens (creating and migrating) the store and loads the policy and
 * profiles.  Returns an owned service (pass to gw_svc_close()) or NULL
 * with a message in err.  Call from one thread, at startup.
 */
struct gw_svc	*gw_svc_open(const struct gw_svc_conf *, char *err,
		    size_t errlen);
void		 gw_svc_close(struct gw_svc *);		/* NULL-safe */

/*
 * Dossiers.
 *
 * gw_svc_dossier_submit: submitters only.  body is the dossier JSON (not
 * NUL-terminated; len bytes).  Runs the automated checks at now and stores
 * the dossier, its checks and an audit entry in one transaction.  *out is
 * the same view gw_svc_dossier_get() returns (its "id" is the new id;
 * answer 201).
 *
 * gw_svc_dossier_get: the submitter of the same tenant, reviewers and
 * admins.  Another tenant's dossier is GW_SVC_NOT_FOUND (its existence is
 * not revealed).  *out: {"id","tenant","status","version","submitted_by",
 * "created","updated","dossier":{...},"checks":{"verdict","at",
 * "findings":[...]},"pending_approval":{...}|null,"recognition":{...}|null,
 * "history":[{"seq","time","actor","action","from","to",...}]} (one
 * entry per audit entry about the dossier, with the entry's detail:
 * "comment", "decision", "recognition", "version" as they apply).
 *
 * gw_svc_dossier_amend: the submitter of the same tenant, only while the
 * status is info-requested (else GW_SVC_CONFLICT).  Replaces the dossier
 * (the old version is kept), re-runs the checks, status -> under-review.
 *
 * gw_svc_dossier_list: reviewers and admins see all tenants, submitters
 * their own; status NULL lists every status, else one of gw_status_name's
 * names (unknown: GW_SVC_BAD_REQUEST, field "status").  Oldest first, at
 * most GW_MAX_LIST.  *out: {"dossiers":[{"id","tenant","status",
 * "legal_name","country","version","created","updated"}]}.
 */
enum gw_svc_status gw_svc_dossier_submit(struct gw_svc *,
		    const struct gw_actor *, const char *body, size_t len,
		    time_t now, json_t **out, struct gw_svc_err *);
enum gw_svc_status gw_svc_dossier_get(struct gw_svc *,
		    const struct gw_actor *, const char *id, json_t **out,
		    struct gw_svc_err *);
enum gw_svc_status gw_svc_dossier_amend(struct gw_svc *,
		    const struct gw_actor *, const char *id, const char *body,
		    size_t len, time_t now, json_t **out, struct gw_svc_err *);
enum gw_svc_status gw_svc_dossier_list(struct gw_svc *,
		    const struct gw_actor *, const char *status, json_t **out,
		    struct gw_svc_err *);

/*
 * Review actions: body is {"action":A,"comment":"..."} with, for
 * "approve" only, optional "valid_until" (RFC 3339), "conditions"
 * (array of strings), "certificate_types" and "application_scenarios"
 * (subsets of what was declared; default: all declared).
 *
 *   A		who		from			to
 *   request-info reviewer	submitted, under-review	info-requested
 *   approve	reviewer	submitted, under-review	under-review (first
 *				reviewer: pending approval) or approved
 *				(second, different reviewer: decision)
 *   reject	reviewer	submitted, under-review,
 *				info-requested		rejected (decision)
 *   suspend	reviewer	approved		suspended (decision)
 *   reinstate	reviewer	suspended		approved (decision)
 *   revoke	reviewer	approved, suspended	revoked (decision)
 *   withdraw	submitter	approved, suspended	withdrawn (decision)
 *		(own tenant)	submitted, under-review,
 *				info-requested		withdrawn
 *
 * A reviewer who submitted the dossier (same id) or belongs to its
 * tenant is refused (GW_SVC_FORBIDDEN, "self-review").  The second
 * approval by the same reviewer is GW_SVC_CONFLICT "four-eyes".  An action
 * not allowed from the current status is GW_SVC_CONFLICT
 * "illegal-transition".  An approval whose automated checks have an error
 * is GW_SVC_CONFLICT "checks-failed" unless the policy allows it.
 *
 * *out: {"dossier","action","status","pending_approval":bool,
 * "decision":{"id","kind"}|null,"recognition":"rec_..."|null}.
 */
enum gw_svc_status gw_svc_review(struct gw_svc *, const struct gw_actor *,
		    const char *dossier_id, const char *body, size_t len,
		    time_t now, json_t **out, struct gw_svc_err *);

/*
 * Expiry: moves every approved recognition whose validity ended at or
 * before now to expired (one audit entry each).  Lookups never need it
 * (they compare validity with their own time), it only keeps statuses
 * and the audit log honest; the daemon calls it now and then.  Returns
 * the number expired in *n.
 */
enum gw_svc_status gw_svc_expire(struct gw_svc *, time_t now, size_t *n,
		    struct gw_svc_err *);

/*
 * Decisions are published: anyone may read approval, suspension,
 * reinstatement, revocation and withdrawal decisions.  Rejections are
 * visible to reviewers, admins and the dossier's tenant only (else
 * GW_SVC_NOT_FOUND).
 *
 * gw_svc_decision_list: dossier_id NULL lists every visible decision.
 * *out: {"decisions":[{"id","dossier","kind","time"}]}.
 * gw_svc_decision_get: *out is the signed decision document itself (the
 * exact JSON that was signed, parsed).
 * gw_svc_decision_der: the DER CMS SignedData; *der owned (free()).
 */
enum gw_svc_status gw_svc_decision_list(struct gw_svc *,
		    const struct gw_actor *, const char *dossier_id,
		    json_t **out, struct gw_svc_err *);
enum gw_svc_status gw_svc_decision_get(struct gw_svc *,
		    const struct gw_actor *, const char *id, json_t **out,
		    struct gw_svc_err *);
enum gw_svc_status gw_svc_decision_der(struct gw_svc *,
		    const struct gw_actor *, const char *id,
		    unsigned char **der, size_t *derlen, struct gw_svc_err *);

/*
 * Recognitions active at `at` (approved status and at inside validity).
 * Public.  *out: {"recognitions":[{"id","dossier","tenant","legal_name",
 * "country","certificate_types":[],"application_scenarios":[],
 * "not_before","not_after","decision","ca_certificates":[{"subject",
 * "sha256"}]}]}.
 */
enum gw_svc_status gw_svc_recognition_list(struct gw_svc *, time_t at,
		    json_t **out, struct gw_svc_err *);

/*
 * Relying-party lookup, the hot path (served from an in-memory cache that
 * every recognition change invalidates).
 *
 * gw_svc_recognized: chain is a VALIDATED chain, leaf first, trust anchor
 * last (borrowed).  The leaf's certificate type comes from
 * gw_cert_type(); scenario NULL means "any".  Looks for an active
 * recognition at `at` listing the leaf's issuer (chain index 1) among the
 * CA certificates its dossier declared (by SHA-256), covering the type and
 * the scenario.  A CA that a recognized root signed later, but that no
 * dossier declared, is not recognized.
 * Returns GW_SVC_OK with *out {"recognition","decision","dossier",
 * "legal_name","country","ca_sha256","certificate_type","scenario",
 * "not_after"}, or GW_SVC_NOT_FOUND with *out {"reason","certificate_type"}
 * where reason is one of "no-recognition", "type-not-covered",
 * "scenario-not-covered", "suspended", "revoked", "withdrawn", "expired",
 * "not-yet-valid".  A scenario not in the policy's vocabulary is
 * GW_SVC_UNPROCESSABLE, field "scenario".
 *
 * gw_svc_recognition_lookup: the same by one CA fingerprint (64 hex) and
 * certificate type.
 */
enum gw_svc_status gw_svc_recognized(struct gw_svc *, STACK_OF(X509) *chain,
		    const char *scenario, time_t at, json_t **out,
		    struct gw_svc_err *);
enum gw_svc_status gw_svc_recognition_lookup(struct gw_svc *,
		    const char *ca_sha256, const char *cert_type,
		    const char *scenario, time_t at, json_t **out,
		    struct gw_svc_err *);
/*
 * A number that changes whenever this service commits a change to any
 * recognition (approval, suspension, reinstatement, revocation,
 * withdrawal, expiry).  Callers caching something derived from the
 * recognitions (e.g. the set of recognized CA certificates used to build
 * paths) compare it on each use instead of waiting for a time-to-live.
 * Thread-safe; starts at 1.
 */
unsigned long	 gw_svc_recognition_gen(struct gw_svc *);

/*
 * Complaints (the Measures' complaint mechanism).
 *
 * gw_svc_complaint_file: anyone.  body {"recognition":"rec_..." or
 * "dossier":"dos_...","complainant":"...","contact":"...","text":"..."}
 * (complainant and contact optional).  *out {"id","recognition","dossier",
 * "time","status":"open"}; answer 201.
 * gw_svc_complaint_list: reviewers and admins; dossier_id NULL lists all.
 * *out {"complaints":[{"id","recognition","dossier","time","complainant",
 * "contact","text","status"}]}.
 */
enum gw_svc_status gw_svc_complaint_file(struct gw_svc *,
		    const struct gw_actor *, const char *body, size_t len,
		    time_t now, json_t **out, struct gw_svc_err *);
enum gw_svc_status gw_svc_complaint_list(struct gw_svc *,
		    const struct gw_actor *, const char *dossier_id,
		    json_t **out, struct gw_svc_err *);

/*
 * Audit log, verified from the service's store: *out {"intact":bool,
 * "entries":N,"first_broken":seq|null,"reason":"..."|null}.  Reviewers
 * and admins.
 */
enum gw_svc_status gw_svc_audit_verify(struct gw_svc *,
		    const struct gw_actor *, json_t **out, struct gw_svc_err *);

/*
 * Lifecycle statuses of a dossier (and, once approved, its recognition).
 */
enum gw_status {
	GW_ST_SUBMITTED,
	GW_ST_UNDER_REVIEW,
	GW_ST_INFO_REQUESTED,
	GW_ST_APPROVED,
	GW_ST_REJECTED,
	GW_ST_SUSPENDED,
	GW_ST_REVOKED,
	GW_ST_WITHDRAWN,
	GW_ST_EXPIRED,
	GW_ST_COUNT
};
const char	*gw_status_name(enum gw_status);  /* "under-review", ... */
int		 gw_status_parse(const char *, enum gw_status *); /* 0/-1 */

/*
 * A certificate's type: "qualified-esig" or "qualified-eseal" from ETSI
 * EN 319 412-5 QCStatements (QcCompliance with QcType esign or eseal);
 * otherwise from key usage: nonRepudiation -> "esig", digitalSignature
 * alone -> "eseal"; keyCertSign -> "ca"; else "other".  Never NULL.
 * A QcCompliance statement without a QcType counts as esign (before
 * eIDAS every qualified certificate was one for signatures).
 */
const char	*gw_cert_type(X509 *);

/*
 * Policy (gw_policy.c): the data file profiles/policy.json, documented in
 * README.md.  Loaded once at start-up and read-only afterwards.
 */
#define GW_MAX_POLICY_BYTES	(256 * 1024)
#define GW_MAX_POLICY_ITEMS	128	/* scenarios, types, rates, ... */

struct gw_scenario {
	char		*id;		/* "cross-border-trade" */
	char		*text;		/* one line for people */
};

struct gw_rate {
	char		 currency[4];	/* ISO 4217, "EUR" */
	double		 cny;		/* CNY for one unit */
};

struct gw_policy {
	int			 version;
	char			**types;	/* certificate types that exist */
	size_t			 ntypes;
	struct gw_scenario	*scenarios;
	size_t			 nscenarios;
	double			 min_capital_cny;  /* 70 million by default */
	long long		 min_staff;	   /* 60 by default */
	char			*threshold_cite;
	char			*rates_date;	/* "2025-06-30" */
	struct gw_rate		*rates;
	size_t			 nrates;
	int			 revocation_soft_fail;
	long long		 validity_days;	/* default recognition length */
	int			 approval_requires_pass;
	char			**lint_profiles; /* val_profile_load() names */
	size_t			 nlint_profiles;
	long long		 audit_max_age_days;
	long long		 min_rsa_bits;
	long long		 min_ec_bits;
};

/*
 * Parses a policy document (len bytes, named name in messages).  Returns
 * an owned policy (gw_policy_free()) or NULL with a message naming the
 * offending key in err.  Unknown keys are refused.
 */
struct gw_policy *gw_policy_parse(const char *, size_t, const char *name,
		    char *err, size_t errlen);
/* The same from a file (GW_MAX_POLICY_BYTES cap). */
struct gw_policy *gw_policy_load(const char *path, char *err, size_t errlen);
void		 gw_policy_free(struct gw_policy *);	/* NULL-safe */
/* 1 when id is in the vocabulary, else 0. */
int		 gw_policy_scenario_ok(const struct gw_policy *, const char *);
int		 gw_policy_type_ok(const struct gw_policy *, const char *);
/* CNY for one unit of currency; 0 and *cny set, or -1 when unknown. */
int		 gw_policy_rate(const struct gw_policy *, const char *currency,
		    double *cny);
/* The service's policy (borrowed, lives as long as the service). */
const struct gw_policy *gw_svc_policy(const struct gw_svc *);

/*
 * Dossier decoding (gw_dossier.c): JSON with duplicate keys rejected,
 * unknown fields rejected naming them, every type, length and count
 * checked against the GW_MAX_* limits, scenarios and certificate types
 * against the policy, PEM decoded.  Missing fields that are not required
 * for decoding are left to the completeness check.
 */
struct gw_audit_report {
	char		*kind;
	char		*issuer;
	char		*date;		/* YYYY-MM-DD */
	char		*sha256;	/* 64 lower-case hex */
};

struct gw_dossier {
	char			*legal_name;		/* required */
	char			*country;		/* required, ISO 3166 */
	char			*registration_id;
	char			*supervisory_body;
	char			*accreditation;
	struct gw_audit_report	*audits;
	size_t			 naudits;
	int			 has_capital;
	double			 capital_amount;
	char			 currency[4];
	int			 has_staff;
	long long		 staff;
	char			**types;		/* required, >= 1 */
	size_t			 ntypes;
	char			**standards;
	size_t			 nstandards;
	char			**scenarios;		/* required, >= 1 */
	size_t			 nscenarios;
	char			**key_algorithms;	/* optional */
	size_t			 nkey_algorithms;
	struct val_certs	 ca_chain;		/* required, >= 1 */
	struct val_certs	 samples;
	int			 has_tl;
	char			*tl_territory;
	char			*tl_service_name;
	int			 has_qualifications;
};

/*
 * Decodes len bytes.  Returns GW_SVC_OK and an owned dossier in *out
 * (gw_dossier_free()), or another status with err filled (field set to
 * the path of the offending member, e.g. "qualifications.audits[0].date").
 */
enum gw_svc_status gw_dossier_decode(const char *, size_t,
		    const struct gw_policy *, struct gw_dossier **out,
		    struct gw_svc_err *err);
void		 gw_dossier_free(struct gw_dossier *);	/* NULL-safe */
/*
 * A stable text dump of a decoded dossier (golden tests, debugging): every
 * member in a fixed order, certificates by subject, serial-free validity
 * and type (never by fingerprint, so regenerated keys do not change it).
 * Prints "(null)" on NULL.
 */
void		 gw_dossier_print(FILE *, const struct gw_dossier *);

/*
 * Key algorithm names used in "key_algorithms" and in findings:
 * "rsa-2048", "rsa-3072", "rsa-4096" (any RSA size as rsa-N),
 * "ec-p256", "ec-p384", "ec-p521", "sm2", "ed25519", "ed448".
 * Writes the name of cert's key into buf; returns 0, or -1 when unknown.
 */
int		 gw_key_algorithm(X509 *, char *buf, size_t len);

/*
 * The automated checks (gw_dossier_check.c): chain validation and profile
 * linting of every certificate, the home trust list status, declared vs
 * shown (key algorithms and sizes, certificate types, country),
 * completeness and the qualification thresholds (warnings only).  Pure:
 * the inputs and the time are parameters.  Adds DOSSIER-* findings (and
 * the CHAIN-*, lint and TL findings of the checks it runs, with where
 * naming the dossier member) to rep.  Returns 0 if the checks ran, -1 if
 * they could not (out of memory).
 */
struct tl_list;
struct val_profile;

struct gw_check_in {
	const struct gw_policy		*policy;
	struct val_profile *const	*profiles;	/* lint with each */
	size_t				 nprofiles;
	/* Verified trust lists; tl_lists NULL: not available (finding
	 * DOSSIER-TL-UNCHECKED). */
	const struct tl_list *const	*tl_lists;
	size_t				 ntl_lists;
};
int		 gw_dossier_check(const struct gw_dossier *,
		    const struct gw_check_in *, time_t now,
		    struct val_report *);
/* The rule with this DOSSIER-* code, or NULL (tests and docs). */
const struct val_rule *gw_dossier_rule(const char *code);
/* Rule i of the DOSSIER-* table, NULL past the end (tests and docs). */
const struct val_rule *gw_dossier_rule_at(size_t i);

/*
 * The lifecycle table (gw_lifecycle.c), pure: which action may move a
 * dossier from which status, who may take it and whether it produces a
 * signed decision.  gw_svc_review() applies it; tests read it.
 */
enum gw_action {
	GW_ACT_REQUEST_INFO,
	GW_ACT_APPROVE,
	GW_ACT_REJECT,
	GW_ACT_SUSPEND,
	GW_ACT_REINSTATE,
	GW_ACT_REVOKE,
	GW_ACT_WITHDRAW,
	GW_ACT_AMEND,		/* PUT by the submitter */
	GW_ACT_EXPIRE,		/* the service itself, at the end date */
	GW_ACT_COUNT
};
const char	*gw_action_name(enum gw_action);	/* "request-info" */
int		 gw_action_parse(const char *, enum gw_action *); /* 0/-1 */

struct gw_step {
	enum gw_status	 to;
	enum gw_role	 role;		/* who may act (REVIEWER, SUBMITTER;
					 * PUBLIC for the service itself) */
	const char	*decision;	/* gw_decision action, or NULL */
	int		 pending;	/* 1: first approval only recorded */
};
/*
 * From status from, with an approval pending or not, may action happen?
 * Returns 0 and fills *out, or -1 when the transition is illegal.
 */
int		 gw_lifecycle_step(enum gw_status from, enum gw_action,
		    int approval_pending, struct gw_step *out);

#endif /* GW_SVC_H */
