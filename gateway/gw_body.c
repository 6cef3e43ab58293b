/*
 * gw_body.c: request bodies.  The raw body is collected by gw_http.c under
 * the route's cap; here it becomes one JSON object (jansson, duplicate keys
 * rejected, invalid UTF-8 and \u0000 rejected) or an error reply naming
 * what is wrong.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gw_http.h"
#include "gw_jdec.h"

/* Accepts "application/json" with optional parameters. */
static int
is_json_type(const char *ct)
{
	size_t	 n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

int
gw_body_want_json(struct gw_req *r)
{
	if (is_json_type(gw_req_header(r, "Content-Type")))
		return 0;
	gw_reply_error(r, 415, "unsupported-media-type", "Content-Type",
	    "the body must be application/json");
	return -1;
}

json_t *
gw_body_json(struct gw_req *r)
{
	json_t			*v;
	struct gw_svc_err	 e;

	if (gw_body_want_json(r) != 0)
		return NULL;
	if (r->len == 0) {
		gw_reply_error(r, 400, "empty-body", NULL,
		    "a JSON object is required");
		return NULL;
	}
	/* The same decoder and codes as the dossier and review routes. */
	memset(&e, 0, sizeof(e));
	if ((v = gw_jdec_parse(r->body, r->len, &e)) == NULL) {
		gw_reply_error(r, 400, e.code, NULL, "%s", e.message);
		return NULL;
	}
	return v;
}

int
gw_body_only(struct gw_req *r, json_t *obj, const char *const *keys)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(obj, k, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			gw_reply_error(r, 400, "unknown-field", k,
			    "unknown field '%s'", k);
			return -1;
		}
	}
	return 0;
}

int
gw_body_str(struct gw_req *r, json_t *obj, const char *key, int required,
    const char **out)
{
	json_t	*v;

	*out = NULL;
	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return 0;
		gw_reply_error(r, 422, "missing-field", key,
		    "'%s' is required", key);
		return -1;
	}
	if (!json_is_string(v)) {
		gw_reply_error(r, 422, "wrong-type", key,
		    "'%s' must be a string", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/*
 * The fast path for the common shape of hot-path bodies: one object whose
 * members are ASCII strings or arrays of ASCII strings, with only the
 * escapes \n \r \t \/ \\ \".  Anything else (numbers, nesting,
 * \u escapes, non-ASCII bytes, control characters, duplicate keys, a
 * syntax error) returns NULL, and the caller falls back to jansson, which
 * accepts or refuses with its own message; so this scanner only has to be
 * right about what it accepts.  jansson reads long strings a byte at a
 * time through callbacks; this is several times faster on PEM and base64.
 */
struct fscan {
	const char	*p;
	const char	*end;
	char		*tmp;		/* unescaped string, tmpcap bytes */
	size_t		 tmpcap;
};

static void
fs_ws(struct fscan *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' ||
	    *f->p == '\n' || *f->p == '\r'))
		f->p++;
}

/* A string at f->p (after the quote); returns its length in f->tmp. */
static int
fs_string(struct fscan *f, size_t *len)
{
	size_t		 n = 0;
	unsigned char	 c;

	for (;;) {
		if (f->p >= f->end || n >= f->tmpcap)
			return -1;
		c = (unsigned char)*f->p++;
		if (c == '"')
			break;
		if (c < 0x20 || c >= 0x80)
			return -1;
		if (c == '\\') {
			if (f->p >= f->end)
				return -1;
			switch (*f->p++) {
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case '/':
				c = '/';
				break;
			case '\\':
				c = '\\';
				break;
			case '"':
				c = '"';
				break;
			default:
				return -1;
			}
		}
		f->tmp[n++] = (char)c;
	}
	*len = n;
	return 0;
}

json_t *
gw_body_json_fast(const char *buf, size_t len)
{
	struct fscan	 f;
	json_t		*obj = NULL, *val = NULL, *s;
	char		*key = NULL;
	size_t		 n, kn;

	if (len == 0 || len > GW_MAX_BODY_HARD)
		return NULL;
	f.p = buf;
	f.end = buf + len;
	f.tmpcap = len;
	if ((f.tmp = malloc(len)) == NULL || (obj = json_object()) == NULL)
		goto fail;
	fs_ws(&f);
	if (f.p >= f.end || *f.p++ != '{')
		goto fail;
	fs_ws(&f);
	if (f.p < f.end && *f.p == '}') {
		f.p++;
		goto done;
	}
	for (;;) {
		fs_ws(&f);
		if (f.p >= f.end || *f.p++ != '"' || fs_string(&f, &kn) != 0 ||
		    kn == 0)
			goto fail;
		if ((key = strndup(f.tmp, kn)) == NULL ||
		    json_object_get(obj, key) != NULL)
			goto fail;
		fs_ws(&f);
		if (f.p >= f.end || *f.p++ != ':')
			goto fail;
		fs_ws(&f);
		if (f.p >= f.end)
			goto fail;
		if (*f.p == '"') {
			f.p++;
			if (fs_string(&f, &n) != 0 ||
			    (val = json_stringn_nocheck(f.tmp, n)) == NULL)
				goto fail;
		} else if (*f.p == '[') {
			f.p++;
			if ((val = json_array()) == NULL)
				goto fail;
			fs_ws(&f);
			if (f.p < f.end && *f.p == ']')
				f.p++;
			else for (;;) {
				fs_ws(&f);
				if (f.p >= f.end || *f.p++ != '"' ||
				    fs_string(&f, &n) != 0 ||
				    (s = json_stringn_nocheck(f.tmp, n)) ==
				    NULL)
					goto fail;
				if (json_array_append_new(val, s) != 0)
					goto fail;
				fs_ws(&f);
				if (f.p >= f.end)
					goto fail;
				if (*f.p == ',') {
					f.p++;
					continue;
				}
				if (*f.p++ != ']')
					goto fail;
				break;
			}
		} else
			goto fail;
		if (json_object_set_new_nocheck(obj, key, val) != 0) {
			val = NULL;
			goto fail;
		}
		val = NULL;
		free(key);
		key = NULL;
		fs_ws(&f);
		if (f.p >= f.end)
			goto fail;
		if (*f.p == ',') {
			f.p++;
			continue;
		}
		if (*f.p++ != '}')
			goto fail;
		break;
	}
 done:
	fs_ws(&f);
	if (f.p != f.end)
		goto fail;
	free(f.tmp);
	return obj;
 fail:
	free(key);
	json_decref(val);
	json_decref(obj);
	free(f.tmp);
	return NULL;
}
