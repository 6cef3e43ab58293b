/*
 * gw_body.c: request bodies.  The raw body is collected by gw_http.c under
 * the route's cap; here it becomes one JSON object (jansson, duplicate keys
 * rejected, invalid UTF-8 and \u0000 rejected) or an error reply naming
 * what is wrong.
 */
#include <string.h>
#include <strings.h>

#include "gw_http.h"

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
	json_t		*v;
	json_error_t	 je;

	if (gw_body_want_json(r) != 0)
		return NULL;
	if (r->len == 0) {
		gw_reply_error(r, 400, "empty-body", NULL,
		    "a JSON object is required");
		return NULL;
	}
	v = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		gw_reply_error(r, 400, "malformed-json", NULL,
		    "line %d, column %d: %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		gw_reply_error(r, 400, "malformed-json", NULL,
		    "the body must be a JSON object");
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
