/*
 * tl.h: the public interface of trustlists/.
 *
 * tl_fetch.c (bytes) -> tl_parse.c (plain structs) -> tl_verify.c (findings)
 * and tl_status.c (which service, which status, at a time).
 *
 * Parsing (ETSI TS 119 612 v2.1.1 = TL version 5, v2.4.1 = version 6) reads
 * from memory only, with no network, no DTD and no entity expansion; any
 * DOCTYPE is rejected.  Parsing does no cryptography: certificates are kept
 * as the DER bytes found in the list.  A malformed list gives findings
 * (codes "TL-...") in a val_report, never a crash.
 *
 * Times are time_t UTC; TL_NO_TIME marks an absent time.
 */
#ifndef TL_H
#define TL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <openssl/x509.h>

#include "val.h"

/* Hard limits, kept together for review. */
#define TL_MAX_LIST_BYTES	(64 * 1024 * 1024) /* real lists: ~3 MB */
#define TL_MAX_DEPTH		48	/* element nesting; real lists: ~16 */
#define TL_MAX_ATTRS		64	/* attributes of one element; real: 9 */
#define TL_MAX_NODES		500000	/* elements, attributes, comments;
					   real lists: < 25,000 elements */
#define TL_MAX_POINTERS		512	/* OtherTSLPointer per list */
#define TL_MAX_POINTER_CERTS	64	/* signer certificates per pointer */
#define TL_MAX_TSPS		4096	/* TrustServiceProvider per list */
#define TL_MAX_SERVICES		65536	/* TSPService per list, in total */
#define TL_MAX_HISTORY		512	/* ServiceHistoryInstance per service */
#define TL_MAX_IDENTITIES	64	/* DigitalId per service instance */
#define TL_MAX_QUALIFICATIONS	256	/* QualificationElement per instance */
#define TL_MAX_QUALIFIERS	16	/* Qualifier per QualificationElement */
#define TL_MAX_ASI		64	/* AdditionalServiceInformation URIs */
#define TL_MAX_TEXT		(256 * 1024) /* one text value, base64 incl. */

#define TL_NS		"http://uri.etsi.org/02231/v2#"
#define TL_NS_ADD	"http://uri.etsi.org/02231/v2/additionaltypes#"
#define TL_NS_SIE	\
    "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
#define TL_NS_DS	"http://www.w3.org/2000/09/xmldsig#"

#define TL_NO_TIME	((time_t)-1)	/* an absent time */

/* A certificate, key identifier or other byte string copied from a list. */
struct tl_blob {
	unsigned char	*p;	/* owned */
	size_t		 len;
};

/* One DigitalId of a ServiceDigitalIdentity (TS 119 612 5.5.3). */
enum tl_id_kind {
	TL_ID_CERT,		/* X509Certificate: blob is the DER */
	TL_ID_SKI,		/* X509SKI: blob is the key identifier */
	TL_ID_SUBJECT,		/* X509SubjectName: text */
	TL_ID_OTHER		/* KeyValue, Other: kept as a marker only */
};

struct tl_digital_id {
	enum tl_id_kind	 kind;
	struct tl_blob	 data;	/* CERT, SKI */
	char		*text;	/* owned: SUBJECT; NULL otherwise */
};

/* One QualificationElement of the Qualifications extension (5.5.9.2). */
struct tl_qualification {
	char		**qualifiers;	/* owned: Qualifier uri attributes */
	size_t		  nqualifiers;
	char		 *assert;	/* owned: CriteriaList assert or NULL */
	size_t		  ncriteria;	/* children of CriteriaList */
};

/*
 * A service instance: the current ServiceInformation (5.5) or one
 * ServiceHistoryInstance (5.6).  Both have the same fields.
 */
struct tl_service_info {
	char			*type;	/* ServiceTypeIdentifier URI */
	char			*name;	/* ServiceName, "en" if present */
	struct tl_digital_id	*ids;
	size_t			 nids;
	char			*status; /* ServiceStatus URI */
	time_t			 status_start; /* StatusStartingTime */
	struct tl_qualification	*quals;
	size_t			 nquals;
	char			**asi;	/* AdditionalServiceInformation URIs */
	size_t			 nasi;
	size_t			 nextensions;	/* Extension elements seen */
};

struct tl_service {
	struct tl_service_info	 cur;
	struct tl_service_info	*history;	/* as listed (newest first) */
	size_t			 nhistory;
};

struct tl_tsp {
	char			*name;	/* TSPName, "en" if present */
	struct tl_service	*services;
	size_t			 nservices;
};

/* One OtherTSLPointer (5.3.13): another list and who signs it. */
struct tl_pointer {
	char		*location;	/* TSLLocation */
	char		*territory;	/* SchemeTerritory, may be NULL */
	char		*type;		/* TSLType URI, may be NULL */
	char		*mime_type;	/* MimeType, may be NULL */
	struct tl_blob	*certs;		/* X509Certificate DER of the
					   ServiceDigitalIdentities */
	size_t		 ncerts;
};

struct tl_list {
	/* Structural facts, for tl_verify.c. */
	char		*root_id;	/* Id attribute of the root, or NULL */
	size_t		 nsignatures;	/* ds:Signature children of the root */
	size_t		 nsignatures_deep; /* ds:Signature anywhere */
	int		 had_bom;	/* a UTF-8 BOM was stripped */

	/* SchemeInformation (5.3). */
	int		 version;	/* TSLVersionIdentifier, -1 if absent */
	long long	 seq;		/* TSLSequenceNumber, -1 if absent */
	char		*type;		/* TSLType URI */
	char		*territory;	/* SchemeTerritory, e.g. "EL", "UK" */
	char		*operator_name;	/* SchemeOperatorName, "en" first */
	time_t		 issued;	/* ListIssueDateTime */
	time_t		 next_update;	/* NextUpdate/dateTime, TL_NO_TIME when
					   empty (closed) or absent */
	int		 closed;	/* NextUpdate present and empty */

	struct tl_pointer *pointers;
	size_t		 npointers;
	struct tl_tsp	*tsps;
	size_t		 ntsps;
	size_t		 nservices;	/* over all TSPs */
};

/*
 * Parses len bytes of one trusted list; name labels findings (a file name
 * or URL).  Adds findings to rep.  Returns an owned list (pass it to
 * tl_list_free()), or NULL when the bytes are not a usable list: then rep
 * holds at least one fatal finding saying why.  A returned list may still
 * carry error findings (a missing field, a bad date): the caller judges
 * with val_report_verdict().
 */
struct tl_list	*tl_parse(const unsigned char *, size_t, const char *name,
		    struct val_report *rep);
/* Frees a list and everything it owns.  Safe on NULL. */
void		 tl_list_free(struct tl_list *);
/* A stable text dump (golden tests, debugging).  Prints "(null)" on NULL. */
void		 tl_list_print(FILE *, const struct tl_list *);

/*
 * The one hardened XML reader, for tl_parse.c and for tl_verify.c (which
 * needs the tree for xmlsec): size cap, BOM stripped, no network, no
 * entity substitution, no DTD loading, any DOCTYPE rejected, nesting
 * capped at TL_MAX_DEPTH, root element in TL_NS.  Returns an owned
 * xmlDoc (free with xmlFreeDoc()) or NULL with a fatal finding in rep.
 * The libxml2 parser must have been initialised (xmlInitParser()).
 */
struct _xmlDoc;
struct _xmlDoc	*tl_xml_read(const unsigned char *, size_t, const char *name,
		    struct val_report *rep);

/* Helpers shared with the verifier. */
/* The pointers of list whose SchemeTerritory is terr (case-sensitive).
 * Returns the first at or after index *from, updating it; NULL at end. */
const struct tl_pointer *tl_list_pointer_next(const struct tl_list *,
		    const char *terr, size_t *from);

/*
 * Status at a time (tl_status.c).  Pure: the time is a parameter.
 *
 * Service status URIs (TS 119 612 D.5 and, before 1 July 2016, the
 * Directive 1999/93/EC ones) have short names; "granted-equivalent" marks
 * the statuses under which a service is approved: granted,
 * recognisedatnationallevel, and the pre-2016 undersupervision,
 * supervisionincessation, accredited and setbynationallaw (and TS 102
 * 231's inaccord, for TSL v2/v3).
 */
enum tl_match {
	TL_MATCH_CERT,		/* the same certificate (DER) */
	TL_MATCH_SKI,		/* only the subject key identifier: weaker */
	TL_MATCH_SUBJECT	/* only the subject name: weakest */
};

struct tl_status_match {
	/* All borrowed from the list given to tl_status(). */
	const struct tl_list		*list;
	const struct tl_tsp		*tsp;
	const struct tl_service		*service;
	const struct tl_service_info	*at_info; /* instance in force at the
						     time, NULL if none */
	enum tl_match			 match;
	int				 same_key; /* cert has the public key
						      of a listed certificate */
	const char			*status;  /* URI in force, or NULL */
	time_t				 since;	  /* start of the unbroken run
						     of that status, or
						     TL_NO_TIME */
	int				 granted; /* granted-equivalent */
};

struct tl_status_result {
	struct tl_status_match	*v;
	size_t			 n;
};

/*
 * Finds every service of lists[0..nlists) whose current digital identity
 * matches cert, and the status each had at time at.  Matches by the
 * certificate come first, then SKI, then subject name; within a kind, in
 * list order.  Only a match with same_key is evidence that cert is the
 * listed CA: SKI and subject name alone can be copied by anyone.  Fills out (free it with tl_status_result_free()).  Returns
 * 0, or -1 when out of memory (out is then empty).
 */
int		 tl_status(X509 *cert, const struct tl_list *const *lists,
		    size_t nlists, time_t at, struct tl_status_result *out);
/* Frees the matches (not the lists).  Safe on NULL. */
void		 tl_status_result_free(struct tl_status_result *);
/* The status in force at time at among cur and history: the instance with
 * the latest start not after at, or NULL. */
const struct tl_service_info *tl_service_at(const struct tl_service *,
		    time_t at);
/* The start of the unbroken run of at->status that at ends (earlier
 * instances with the same status URI merged); TL_NO_TIME if at is NULL. */
time_t		 tl_service_since(const struct tl_service *,
		    const struct tl_service_info *at);
/* "granted", "withdrawn", "undersupervision", ...; NULL if unknown. */
const char	*tl_status_short(const char *uri);
/* 1 when uri is granted or a pre-2016 equivalent, else 0. */
int		 tl_status_granted(const char *uri);
/* "certificate", "ski", "subject". */
const char	*tl_match_name(enum tl_match);
/* "CA/QC", "TSA/QTST", ...: the part after ".../Svctype/", or uri. */
const char	*tl_service_type_short(const char *uri);

/*
 * The verified lists of a cache folder (tl_set.c): every DIR/lists/NAME.xml
 * (see the cache contract below), parsed, not re-verified.  For status
 * queries: pass set.lists and set.n to tl_status().
 */
#define TL_MAX_SET_LISTS	256	/* lists read from one cache */

struct tl_set {
	struct tl_list	**lists;	/* owned, sorted by file name */
	char		**names;	/* owned: "DK.xml", parallel */
	size_t		  n;
};

/*
 * Parses every list of DIR/lists into out.  A file that does not parse is
 * left out, with its findings in rep (the findings of the lists kept are
 * not reported: they were verified).  Returns 0 (out filled, free
 * with tl_set_free(); n may be 0), or -1 with a message in err when the
 * folder or a file cannot be read.
 */
int		 tl_set_load(const char *dir, struct tl_set *out,
		    struct val_report *rep, char *err, size_t errlen);
/* Frees the lists and names.  Safe on NULL and on an empty set. */
void		 tl_set_free(struct tl_set *);
/* The file name of list l in set s ("DK.xml"), or NULL. */
const char	*tl_set_name(const struct tl_set *, const struct tl_list *);

/* ---- fetch, verify, sync, cache (tl_fetch.c ... tl_cache.c) ---- */

/*
 * Library set-up for the verifier (xmlsec with the OpenSSL engine).  Call
 * tl_global_init() once per process after xmlInitParser(), before any
 * tl_verify*(), and tl_global_cleanup() at the end; gw_main.c does, tests
 * do it themselves.  Returns 0, or -1 when xmlsec cannot start.
 */
int		 tl_global_init(void);
void		 tl_global_cleanup(void);

/* Fetch limits (tl_fetch.c). */
#define TL_MAX_URL		2048	/* bytes of one URL */
#define TL_MAX_HEADER		512	/* bytes of one ETag / Last-Modified */
#define TL_FETCH_CONNECT_TIMEOUT 20	/* seconds */
#define TL_FETCH_TOTAL_TIMEOUT	180	/* seconds for one whole transfer */
#define TL_FETCH_MAX_REDIRECTS	5

struct tl_fetch_opts {
	const char	*cacert;	/* extra trusted roots, added to the
					   system ones; may be NULL */
	int		 allow_http;	/* tests only: plain http allowed */
	long		 connect_timeout; /* seconds; 0: the default */
	long		 total_timeout;	/* seconds; 0: the default */
	long		 max_redirects;	/* 0: TL_FETCH_MAX_REDIRECTS */
	size_t		 max_bytes;	/* 0: TL_MAX_LIST_BYTES */
	const char	*etag;		/* stored validator, may be NULL */
	const char	*last_modified;	/* stored validator, may be NULL */
};

struct tl_fetch_res {
	long		 status;	/* 200, or 304 (then body is NULL) */
	unsigned char	*body;		/* owned */
	size_t		 len;
	char		*final_url;	/* owned: after redirects */
	char		*etag;		/* owned, may be NULL */
	char		*last_modified;	/* owned, may be NULL */
};

/*
 * GETs url (https only unless opts->allow_http) with the limits above and
 * a conditional request when opts carries validators.  Returns 0 with out
 * filled (status 200 or 304; free with tl_fetch_res_free()), or -1 with a
 * message naming the URL in err (curl's own text included) and out empty
 * except out->status (the HTTP status when one arrived, else 0).
 */
int		 tl_fetch(const char *url, const struct tl_fetch_opts *,
		    struct tl_fetch_res *out, char *err, size_t errlen);
void		 tl_fetch_res_free(struct tl_fetch_res *);	/* NULL-safe */

/*
 * Verification (tl_verify.c).  The signer key is pinned: the signature must
 * verify with one of the candidate certificates given (the OJ anchors for
 * the LOTL, the previous pivot's EU pointer for a pivot, the LOTL pointer's
 * certificates for a national list).  Findings "TLV-..." go into a report;
 * the verdict is val_report_verdict() of that report alone (the parser's
 * own "TL-..." findings are returned apart, in parse_rep).
 *
 * Checked: exactly one ds:Signature, a child of the root (enveloped);
 * exactly one Reference covering the whole list (URI "" or "#<root Id>",
 * enveloped-signature + C14N transforms only); every other Reference points
 * inside the signature (XAdES SignedProperties, KeyInfo); no Id used by the
 * signature appears twice (signature wrapping); xmlsec restricted to empty
 * and same-document URIs, no manifests; XMLDSig core with the pinned key;
 * XAdES SignedProperties signed, SigningCertificate(V2) digest matches the
 * signer, signing time inside the signer's validity; sequence number not
 * below the last verified one (rollback); NextUpdate not passed (stale).
 */
#define TL_MAX_SIG_REFS		8	/* ds:Reference in SignedInfo */
#define TL_MAX_PIVOTS		32	/* pivot LOTLs walked */
#define TL_MAX_SIGNERS		256	/* candidate signers in one set */
#define TL_LOTL_TERRITORY	"EU"

struct tl_verify_in {
	const struct val_certs	*signers;  /* pinned candidates (borrowed) */
	time_t			 at;	   /* validation time */
	const char		*territory; /* expected SchemeTerritory (the
					       pointer's), or NULL */
	int			 lotl;	   /* 1: must be an EU list of lists */
	long long		 prev_seq; /* last verified seq, -1 if none */
	const char		*prev_sha256; /* hex SHA-256 of those bytes,
					       or NULL */
	int			 want_list; /* 1: also tl_parse() the bytes
					       into out->list (implied by
					       lotl: pointers are needed) */
};

/* SchemeInformation as read from the very tree the signature covers. */
struct tl_scheme {
	int		 version;	/* TSLVersionIdentifier, -1 if absent */
	long long	 seq;		/* TSLSequenceNumber, -1 if absent */
	char		 type[256];	/* TSLType URI, "" if absent */
	char		 territory[16];	/* SchemeTerritory, "" if absent */
	time_t		 issued;	/* ListIssueDateTime or TL_NO_TIME */
	time_t		 next_update;	/* NextUpdate/dateTime or TL_NO_TIME */
	int		 closed;	/* NextUpdate present and empty */
};

struct tl_verified {
	struct tl_scheme scheme;	/* read from the verified tree */
	struct tl_list	*list;		/* owned parsed list (want_list or
					   lotl), or NULL */
	struct val_report parse_rep;	/* the parser's findings */
	X509		*signer;	/* owned: the pinned certificate the
					   signature verified with, or NULL */
	char		 signer_sha256[65]; /* hex, "" when no signer */
	char		 sha256[65];	/* hex SHA-256 of the bytes */
	time_t		 signing_time;	/* XAdES SigningTime or TL_NO_TIME */
	char		**pivots;	/* owned: pivot LOTL URLs named in the
					   SchemeInformationURI, as listed
					   (newest first) */
	size_t		 npivots;
};

/*
 * Verifies len bytes named name (a file or URL, for findings).  Adds
 * findings to rep and fills out (free with tl_verified_free(), also after
 * a failure).  Returns 0 when the checks ran (judge rep), -1 when they
 * could not (out of memory: rep then holds a fatal finding).
 */
int		 tl_verify(const unsigned char *, size_t, const char *name,
		    const struct tl_verify_in *, struct tl_verified *out,
		    struct val_report *rep);
void		 tl_verified_free(struct tl_verified *);	/* NULL-safe */

/*
 * Appends to out the signer certificates every pointer of lotl for
 * territory terr announces (TL_LOTL_TERRITORY: the LOTL's self pointer,
 * i.e. the signers of the next LOTL).  Returns the number appended (0 when
 * none) or -1 when a certificate does not decode (err says which).
 */
int		 tl_pointer_certs(const struct tl_list *lotl, const char *terr,
		    struct val_certs *out, char *err, size_t errlen);

/*
 * Integrity only, for diagnostics and test-key fixtures: appends the
 * certificates of the signature's own KeyInfo.  Returns the number
 * appended or -1 (err says why).
 */
int		 tl_embedded_certs(const unsigned char *, size_t,
		    struct val_certs *out, char *err, size_t errlen);

/*
 * Walks pivot LOTLs oldest first (sorted by sequence number, whatever the
 * order given), as the EU procedure does: the oldest must verify against
 * anchors, each next one against the EU self-pointer certificates of the
 * one before.  On success out holds the signer set for the current LOTL
 * (the newest pivot's EU pointer; anchors when npivots is 0).  Adds
 * findings (TLV-PIVOT-*, and each pivot's own, with where = its name).
 * Returns 0 when the chain holds, -1 when it does not (out then empty).
 */
struct tl_blob_in {
	const unsigned char	*p;
	size_t			 len;
	const char		*name;
};
int		 tl_pivot_walk(const struct tl_blob_in *pivots, size_t npivots,
		    const struct val_certs *anchors, time_t at,
		    struct val_certs *out, struct val_report *rep);

/* Copies every certificate of src to the end of dst (DER re-decoded).
 * Returns 0 or -1. */
int		 tl_certs_append(struct val_certs *dst,
		    const struct val_certs *src);

/*
 * Cache (tl_cache.c): the contract with `xbrg tl status`.
 *
 *   DIR/lists/<NAME>.xml        the last good VERIFIED bytes, nothing else
 *   DIR/lists/<NAME>.meta.json  {"name","territory","url","etag",
 *                               "last_modified","fetched_at","sequence",
 *                               "issued","next_update","signer_sha256",
 *                               "sha256"}  (times RFC 3339, absent = null)
 *
 * NAME is the territory code of the pointer ("AT", "EL", "UK") for a
 * national list and TL_CACHE_LOTL ("EU-LOTL") for the LOTL.  Both files
 * are written atomically (temp file, fsync, rename, fsync of the folder),
 * the list first; "sha256" in the meta names the bytes of the .xml.  A
 * refresh that fails (download, signature, rollback) leaves both untouched.
 */
#define TL_CACHE_LOTL		"EU-LOTL"
#define TL_CACHE_MAX_META	(64 * 1024)

struct tl_cache_meta {
	char		 name[32];
	char		 territory[16];
	char		*url;		/* owned */
	char		*etag;		/* owned, may be NULL */
	char		*last_modified;	/* owned, may be NULL */
	time_t		 fetched_at;
	long long	 seq;		/* -1 when unknown */
	time_t		 issued;	/* TL_NO_TIME when unknown */
	time_t		 next_update;	/* TL_NO_TIME: closed or unknown */
	char		 signer_sha256[65];
	char		 sha256[65];
};

/* 1 when name is a valid cache name ([A-Z0-9-]{1,31}), else 0. */
int		 tl_cache_name_ok(const char *name);
/* Loads DIR/lists/NAME.meta.json.  Returns 0, 1 when absent, -1 on error
 * (err says why).  Free with tl_cache_meta_free(). */
int		 tl_cache_meta_load(const char *dir, const char *name,
		    struct tl_cache_meta *out, char *err, size_t errlen);
void		 tl_cache_meta_free(struct tl_cache_meta *);	/* NULL-safe */
/* Reads DIR/lists/NAME.xml (owned buffer).  Returns 0, 1 when absent,
 * -1 on error. */
int		 tl_cache_list_load(const char *dir, const char *name,
		    unsigned char **buf, size_t *len, char *err, size_t errlen);
/* Stores verified bytes and their meta atomically.  Returns 0 or -1. */
int		 tl_cache_store(const char *dir, const char *name,
		    const unsigned char *, size_t,
		    const struct tl_cache_meta *, char *err, size_t errlen);
/* Rewrites the meta only (a 304 refresh).  Returns 0 or -1. */
int		 tl_cache_meta_store(const char *dir,
		    const struct tl_cache_meta *, char *err, size_t errlen);

/*
 * Pivot LOTLs, immutable by name, kept in DIR/pivots/<file name of the
 * URL> once a walk through them succeeded (they are re-verified on every
 * use).  load: 0, 1 when absent, -1 on error; store: 0 or -1.
 */
int		 tl_cache_pivot_load(const char *dir, const char *base,
		    unsigned char **buf, size_t *len, char *err,
		    size_t errlen);
int		 tl_cache_pivot_store(const char *dir, const char *base,
		    const unsigned char *, size_t, char *err, size_t errlen);

/*
 * Sync (tl_sync.c): fetch and verify the LOTL (walking the pivots its
 * SchemeInformationURI names, oldest first), then every XML list it points
 * to, each against its pointer's certificates.  Verified bytes go to the
 * cache; a failed refresh keeps the last good list.  One progress line per
 * list goes to opts->progress (may be NULL).  Returns 0 when the run
 * happened (judge the items), -1 when it could not start (err says why).
 */
struct tl_sync_opts {
	const char		*lotl_url;
	const struct val_certs	*anchors;
	const char		*cache_dir;
	const char		*cacert;	/* may be NULL */
	time_t			 at;		/* validation time */
	int			 allow_http;	/* tests only */
	FILE			*progress;	/* may be NULL */
};

enum tl_sync_state {
	TL_SYNC_UPDATED,	/* new verified bytes stored */
	TL_SYNC_UNCHANGED,	/* 304, or the same bytes as the cache */
	TL_SYNC_FAILED		/* refresh failed: last good kept if any */
};

struct tl_sync_item {
	char			 name[32];	/* cache name */
	char			 territory[16];
	char			*url;		/* owned */
	enum tl_sync_state	 state;
	char			*error;		/* owned: why it failed */
	struct val_report	 rep;		/* verification findings */
	int			 cached;	/* a verified list is in the
						   cache after this run */
	long long		 seq;		/* of the cached list, or -1 */
	time_t			 issued;	/* of the cached list */
	time_t			 next_update;
	char			 signer_sha256[65];
	long long		 fetched_seq;	/* of what was fetched, -1 */
};

struct tl_sync_result {
	struct tl_sync_item	*v;	/* [0] is the LOTL */
	size_t			 n;
};

int		 tl_sync(const struct tl_sync_opts *, struct tl_sync_result *,
		    char *err, size_t errlen);
void		 tl_sync_result_free(struct tl_sync_result *); /* NULL-safe */

#endif /* TL_H */
