/*
 * val_cert_int.h: private to the profile loader (val_profile.c) and the
 * certificate checks (val_cert*.c).  Nothing outside validators/ includes
 * it; the public interface is val.h.
 *
 * A profile is an ordered list of rules (code, severity, citation, text)
 * plus typed parameters.  Each rule code names one check function in the
 * registry below; val_cert_check() builds a context once per certificate
 * and calls the profile's checks in the profile's order.
 */
#ifndef VAL_CERT_INT_H
#define VAL_CERT_INT_H

#include <stdint.h>

#include "val.h"

#define VAL_PROFILE_MAX_RULES	512	/* rules, composed profile */
#define VAL_PROFILE_MAX_DEPTH	8	/* include nesting */
#define VAL_PROFILE_MAX_LINE	1024	/* bytes of one profile line */
#define VAL_PROFILE_MAX_VALUES	64	/* values of a list parameter */

enum val_role {
	VAL_ROLE_CA,
	VAL_ROLE_SIGN,		/* signing end entity */
	VAL_ROLE_ENC		/* encryption end entity */
};

/* Parameter kinds; every parameter a profile may set is listed in
 * val_profile.c with its kind. */
enum val_ptype {
	VAL_PARAM_INT,
	VAL_PARAM_OIDS
};

struct val_param {
	const char	*name;		/* borrowed from the table */
	enum val_ptype	 type;
	long		 ival;
	ASN1_OBJECT	*oids[VAL_PROFILE_MAX_VALUES];
	size_t		 noids;
	int		 set;
};

struct val_cctx;
typedef void (*val_check_fn)(struct val_cctx *, const struct val_rule *);

struct val_check {
	const char	*code;
	val_check_fn	 fn;
};

struct val_prule {
	struct val_rule		 rule;	/* owned strings */
	const struct val_check	*chk;
};

#define VAL_NPARAMS	8
struct val_profile {
	char			*name;
	struct val_prule	*rules;
	size_t			 nrules;
	struct val_param	 params[VAL_NPARAMS];
};

/* Per-certificate state shared by the checks; built by val_cert.c. */
struct val_cctx {
	const struct val_cert		*c;
	X509				*x;
	const struct val_profile	*p;
	time_t				 now;
	struct val_report		*rep;
	enum val_role			 role;
	int				 nexts;	/* examined, capped */
	int				 self_issued;
	int				 bc_present, bc_ca, bc_crit;
	long				 bc_pathlen;	/* -1: absent */
	int				 ku_present, ku_crit;
	uint32_t			 ku;	/* X509v3_KU_* */
	int				 fatal;
};

/* Registry, one table per area, each ending with a NULL code. */
extern const struct val_check val_checks_struct[]; /* val_cert.c */
extern const struct val_check val_checks_time[]; /* val_cert_time.c */
extern const struct val_check val_checks_name[]; /* val_cert_name.c */
extern const struct val_check val_checks_ext[]; /* val_cert_ext.c */
extern const struct val_check val_checks_alg[]; /* val_cert_alg.c */
extern const struct val_check val_checks_gm[]; /* val_cert_gm.c */

/* Finds the check for a rule code, or NULL. */
const struct val_check *val_check_find(const char *code);

/* Profile parameters: the value, or def when the profile sets none. */
long		 val_param_int(const struct val_profile *, const char *,
		    long def);
/* 1 when obj is listed in the parameter, 0 when not, -1 when unset. */
int		 val_param_has_oid(const struct val_profile *, const char *,
		    const ASN1_OBJECT *);

/* Adds a finding for rule at "<cert where>:<path>". */
void		 val_cfind(struct val_cctx *, const struct val_rule *,
		    const char *path, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));

/* Extension helpers over the examined extensions. Index or -1; *crit
 * (may be NULL) gets the critical flag of the first match. */
int		 val_ext_find(const struct val_cctx *, int nid, int *crit);
int		 val_ext_count(const struct val_cctx *, int nid);
/* Decoded value of the first extension nid (caller frees), or NULL when
 * absent or undecodable (val_cert_ext.c). */
void		*val_ext_d2i(const struct val_cctx *, int nid);

const char	*val_role_name(enum val_role);

/* Well-known OIDs not all builds name. */
#define VAL_OID_SM2		"1.2.156.10197.1.301"
#define VAL_OID_SM3		"1.2.156.10197.1.401"
#define VAL_OID_SM2_SM3		"1.2.156.10197.1.501"
#define VAL_OID_ECPUBKEY	"1.2.840.10045.2.1"
/* 1 when obj's dotted text equals oid. */
int		 val_oid_is(const ASN1_OBJECT *, const char *oid);

#endif /* VAL_CERT_INT_H */
