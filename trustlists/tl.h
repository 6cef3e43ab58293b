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
	char		 *assert;	/* owned: CriteriaList assert, or NULL */
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
	char		*operator_name;	/* SchemeOperatorName, "en" if present */
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
	const char			*status;  /* URI in force, or NULL */
	time_t				 since;	  /* its start, or TL_NO_TIME */
	int				 granted; /* status granted-equivalent */
};

struct tl_status_result {
	struct tl_status_match	*v;
	size_t			 n;
};

/*
 * Finds every service of lists[0..nlists) whose current digital identity
 * matches cert, and the status each had at time at.  Matches by the
 * certificate come first, then SKI, then subject name; within a kind, in
 * list order.  Fills out (free it with tl_status_result_free()).  Returns
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
/* "granted", "withdrawn", "undersupervision", ...; NULL if unknown. */
const char	*tl_status_short(const char *uri);
/* 1 when uri is granted or a pre-2016 equivalent, else 0. */
int		 tl_status_granted(const char *uri);
/* "certificate", "ski", "subject". */
const char	*tl_match_name(enum tl_match);
/* "CA/QC", "TSA/QTST", ...: the part after ".../Svctype/", or uri. */
const char	*tl_service_type_short(const char *uri);

/* ---- fetch, verify, sync, cache (tl_fetch.c ... tl_cache.c) ---- */

#endif /* TL_H */
