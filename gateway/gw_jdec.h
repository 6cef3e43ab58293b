/*
 * gw_jdec.h: private to the service layer (gw_policy.c, gw_dossier*.c,
 * gw_lifecycle.c, gw_svc.c): strict decoding of JSON request bodies and
 * data files with errors that name the offending member.  Not a public
 * interface; the public one is gw_svc.h.
 */
#ifndef GW_JDEC_H
#define GW_JDEC_H

#include <stdarg.h>

#include <jansson.h>

#include "gw_svc.h"

/* Fills err (status, stable code, field path or NULL, message). */
void	 gw_svc_seterr(struct gw_svc_err *, enum gw_svc_status,
	    const char *code, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* path + "." + key, or key alone when path is "" (truncated to fit). */
void	 gw_jdec_field(char *out, size_t len, const char *path,
	    const char *key);
/* path + "[i]". */
void	 gw_jdec_index(char *out, size_t len, const char *path, size_t i);

/*
 * Parses len bytes as one JSON object: duplicate keys, invalid UTF-8,
 * NUL and nesting deeper than GW_MAX_JSON_DEPTH refused.  Returns a new
 * reference or NULL with err (400 json-invalid / json-duplicate-key /
 * json-not-object / json-too-deep).
 */
json_t	*gw_jdec_parse(const char *, size_t, struct gw_svc_err *);

/* Refuses any key of obj not in allowed (NULL-terminated): 400
 * "unknown-field" naming path.key.  Returns 0 or -1. */
int	 gw_jdec_keys(const json_t *obj, const char *path,
	    const char *const *allowed, struct gw_svc_err *);

/*
 * Member key of obj as a string of 1..maxlen bytes with no control
 * characters (when ctl is 0).  *out borrowed from obj (NULL when absent
 * and not required).  Returns 0 or -1 with err.
 */
int	 gw_jdec_str(const json_t *obj, const char *path, const char *key,
	    int required, size_t maxlen, int ctl, const char **out,
	    struct gw_svc_err *);
/* An integer member in [min, max]; *present says whether it was there. */
int	 gw_jdec_int(const json_t *obj, const char *path, const char *key,
	    int required, long long min, long long max, long long *out,
	    int *present, struct gw_svc_err *);
/* An array member of at most max elements (min when present). */
int	 gw_jdec_arr(const json_t *obj, const char *path, const char *key,
	    int required, size_t min, size_t max, const json_t **out,
	    struct gw_svc_err *);
/* An object member. */
int	 gw_jdec_obj(const json_t *obj, const char *path, const char *key,
	    int required, const json_t **out, struct gw_svc_err *);
/*
 * An array of distinct strings (each 1..maxlen bytes, no control
 * characters) copied into an owned, NULL-terminated vector *out with
 * *n elements (gw_strv_free()).  Absent: *out NULL, *n 0.
 */
int	 gw_jdec_strv(const json_t *obj, const char *path, const char *key,
	    int required, size_t min, size_t max, size_t maxlen, char ***out,
	    size_t *n, struct gw_svc_err *);
/* 1 when s is a calendar date YYYY-MM-DD. */
int	 gw_jdec_date_ok(const char *s);
void	 gw_strv_free(char **);		/* NULL-safe */
/* 1 when s is in v (NULL-terminated). */
int	 gw_strv_has(char *const *v, const char *s);

#endif /* GW_JDEC_H */
