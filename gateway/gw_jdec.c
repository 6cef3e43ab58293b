/*
 * gw_jdec.c: strict JSON decoding for the service layer.  Every error
 * names the member (a path like "qualifications.audits[0].date") so that
 * the HTTP layer can return it as the error's "field".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_jdec.h"

void
gw_svc_seterr(struct gw_svc_err *e, enum gw_svc_status st, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	 ap;

	if (e == NULL)
		return;
	e->status = st;
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

void
gw_jdec_field(char *out, size_t len, const char *path, const char *key)
{
	int	 r;

	if (path == NULL || path[0] == '\0')
		r = snprintf(out, len, "%s", key);
	else
		r = snprintf(out, len, "%s.%s", path, key);
	if (r >= (int)len && len > 0)
		out[len - 1] = '\0';
}

void
gw_jdec_index(char *out, size_t len, const char *path, size_t i)
{
	if (snprintf(out, len, "%s[%zu]", path, i) >= (int)len && len > 0)
		out[len - 1] = '\0';
}

static int
depth_ok(const json_t *v, int depth)
{
	const char	*k;
	json_t		*c;
	size_t		 i;

	if (depth > GW_MAX_JSON_DEPTH)
		return 0;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, c)
			if (!depth_ok(c, depth + 1))
				return 0;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			if (!depth_ok(c, depth + 1))
				return 0;
	}
	return 1;
}

json_t *
gw_jdec_parse(const char *buf, size_t len, struct gw_svc_err *err)
{
	json_error_t	 je;
	json_t		*v;

	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		if (strstr(je.text, "duplicate") != NULL)
			gw_svc_seterr(err, GW_SVC_BAD_REQUEST,
			    "json-duplicate-key", NULL, "line %d column %d: "
			    "%s", je.line, je.column, je.text);
		else
			gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "json-invalid",
			    NULL, "line %d column %d: %s", je.line, je.column,
			    je.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "json-not-object", NULL,
		    "the body must be a JSON object");
		json_decref(v);
		return NULL;
	}
	if (!depth_ok(v, 1)) {
		gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "json-too-deep", NULL,
		    "JSON nested deeper than %d levels", GW_MAX_JSON_DEPTH);
		json_decref(v);
		return NULL;
	}
	return v;
}

int
gw_jdec_keys(const json_t *obj, const char *path, const char *const *allowed,
    struct gw_svc_err *err)
{
	const char	*k;
	json_t		*c;
	char		 f[GW_MAX_FIELD];
	size_t		 i;

	json_object_foreach((json_t *)obj, k, c) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			gw_jdec_field(f, sizeof(f), path, k);
			gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "unknown-field",
			    f, "unknown field '%s'", f);
			return -1;
		}
	}
	return 0;
}

/*
 * Member key of obj, which must be of this type (what names it in the
 * error).  NULL when absent (an error if required) or of another type:
 * *failed tells the two apart; f receives the member's path.
 */
static const json_t *
member(const json_t *obj, const char *path, const char *key, int required,
    json_type type, const char *what, char *f, size_t flen,
    struct gw_svc_err *err, int *failed)
{
	const json_t	*v;

	*failed = 0;
	gw_jdec_field(f, flen, path, key);
	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "missing-field",
			    f, "'%s' is required", f);
			*failed = 1;
		}
		return NULL;
	}
	if (json_typeof(v) != type) {
		gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "wrong-type", f,
		    "'%s' must be %s", f, what);
		*failed = 1;
		return NULL;
	}
	return v;
}

static int
str_ok(const char *s, size_t slen, size_t maxlen, int ctl, const char *f,
    struct gw_svc_err *err)
{
	size_t	 i;

	if (slen == 0) {
		gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "empty-value", f,
		    "'%s' is empty", f);
		return -1;
	}
	if (slen > maxlen) {
		gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "too-long", f,
		    "'%s' is longer than %zu bytes", f, maxlen);
		return -1;
	}
	if (!ctl)
		for (i = 0; i < slen; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
				gw_svc_seterr(err, GW_SVC_UNPROCESSABLE,
				    "bad-value", f, "'%s' contains a control "
				    "character", f);
				return -1;
			}
	return 0;
}

int
gw_jdec_str(const json_t *obj, const char *path, const char *key,
    int required, size_t maxlen, int ctl, const char **out,
    struct gw_svc_err *err)
{
	const json_t	*v;
	char		 f[GW_MAX_FIELD];
	int		 failed;

	*out = NULL;
	if ((v = member(obj, path, key, required, JSON_STRING, "a string", f,
	    sizeof(f), err, &failed)) == NULL)
		return failed ? -1 : 0;
	if (str_ok(json_string_value(v), json_string_length(v), maxlen, ctl,
	    f, err) != 0)
		return -1;
	*out = json_string_value(v);
	return 0;
}

int
gw_jdec_int(const json_t *obj, const char *path, const char *key,
    int required, long long min, long long max, long long *out,
    int *present, struct gw_svc_err *err)
{
	const json_t	*v;
	char		 f[GW_MAX_FIELD];
	int		 failed;

	*present = 0;
	if ((v = member(obj, path, key, required, JSON_INTEGER, "an integer", f,
	    sizeof(f), err, &failed)) == NULL)
		return failed ? -1 : 0;
	if (json_integer_value(v) < min || json_integer_value(v) > max) {
		gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "out-of-range", f,
		    "'%s' must be between %lld and %lld", f, min, max);
		return -1;
	}
	*out = json_integer_value(v);
	*present = 1;
	return 0;
}

int
gw_jdec_arr(const json_t *obj, const char *path, const char *key,
    int required, size_t min, size_t max, const json_t **out,
    struct gw_svc_err *err)
{
	const json_t	*v;
	char		 f[GW_MAX_FIELD];
	int		 failed;

	*out = NULL;
	if ((v = member(obj, path, key, required, JSON_ARRAY, "an array", f,
	    sizeof(f), err, &failed)) == NULL)
		return failed ? -1 : 0;
	if (json_array_size(v) > max) {
		gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "too-many", f,
		    "'%s' has more than %zu elements", f, max);
		return -1;
	}
	if (json_array_size(v) < min) {
		gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "too-few", f,
		    "'%s' needs at least %zu element%s", f, min,
		    min == 1 ? "" : "s");
		return -1;
	}
	*out = v;
	return 0;
}

int
gw_jdec_obj(const json_t *obj, const char *path, const char *key,
    int required, const json_t **out, struct gw_svc_err *err)
{
	const json_t	*v;
	char		 f[GW_MAX_FIELD];
	int		 failed;

	*out = NULL;
	if ((v = member(obj, path, key, required, JSON_OBJECT, "an object", f,
	    sizeof(f), err, &failed)) == NULL)
		return failed ? -1 : 0;
	*out = v;
	return 0;
}

int
gw_jdec_date_ok(const char *s)
{
	time_t	 t;
	char	 buf[32];

	if (strlen(s) != 10)
		return 0;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
	return val_time_parse(buf, &t) == 0;
}

void
gw_strv_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
gw_strv_has(char *const *v, const char *s)
{
	size_t	 i;

	if (v == NULL)
		return 0;
	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

int
gw_jdec_strv(const json_t *obj, const char *path, const char *key,
    int required, size_t min, size_t max, size_t maxlen, char ***out,
    size_t *n, struct gw_svc_err *err)
{
	const json_t	*arr, *e;
	char		 f[GW_MAX_FIELD], fi[GW_MAX_FIELD];
	char		**v = NULL;
	size_t		 i;

	*out = NULL;
	*n = 0;
	if (gw_jdec_arr(obj, path, key, required, min, max, &arr, err) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	gw_jdec_field(f, sizeof(f), path, key);
	if ((v = calloc(json_array_size(arr) + 1, sizeof(*v))) == NULL)
		goto oom;
	json_array_foreach(arr, i, e) {
		gw_jdec_index(fi, sizeof(fi), f, i);
		if (!json_is_string(e)) {
			gw_svc_seterr(err, GW_SVC_BAD_REQUEST, "wrong-type",
			    fi, "'%s' must be a string", fi);
			goto fail;
		}
		if (str_ok(json_string_value(e), json_string_length(e),
		    maxlen, 0, fi, err) != 0)
			goto fail;
		if (gw_strv_has(v, json_string_value(e))) {
			gw_svc_seterr(err, GW_SVC_UNPROCESSABLE, "duplicate",
			    fi, "'%s' repeats '%s'", fi, json_string_value(e));
			goto fail;
		}
		if ((v[i] = strdup(json_string_value(e))) == NULL)
			goto oom;
	}
	*out = v;
	*n = json_array_size(arr);
	return 0;
 oom:
	gw_svc_seterr(err, GW_SVC_INTERNAL, "out-of-memory", NULL,
	    "out of memory");
 fail:
	gw_strv_free(v);
	return -1;
}
