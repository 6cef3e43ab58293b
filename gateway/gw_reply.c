/*
 * gw_reply.c: every reply the service sends.  JSON bodies are rendered
 * compactly with keys in insertion order; every error has one shape:
 * {"error": {"code": "...", "message": "...", "field": "..." | null}}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "gw_http.h"

int
gw_reply_header(struct gw_req *r, const char *name, const char *value)
{
	if (r->nhdr >= GW_MAX_REPLY_HEADERS ||
	    strlen(name) >= sizeof(r->hname[0]) ||
	    strlen(value) >= sizeof(r->hval[0]))
		return -1;
	strcpy(r->hname[r->nhdr], name);
	strcpy(r->hval[r->nhdr], value);
	r->nhdr++;
	return 0;
}

/* Queues buf (taken over: freed by MHD, or here on failure). */
static int
queue(struct gw_req *r, unsigned status, const char *ctype, void *buf,
    size_t len)
{
	struct MHD_Response	*resp;
	size_t			 i;
	int			 rc = -1;

	if (r->replied) {
		free(buf);
		return -1;
	}
	resp = MHD_create_response_from_buffer(len, buf,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(buf);
		return -1;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    ctype) != MHD_YES ||
	    MHD_add_response_header(resp, "X-Request-Id", r->id) != MHD_YES ||
	    MHD_add_response_header(resp, "Cache-Control", "no-store") !=
	    MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options",
	    "nosniff") != MHD_YES)
		goto out;
	for (i = 0; i < r->nhdr; i++)
		if (MHD_add_response_header(resp, r->hname[i], r->hval[i]) !=
		    MHD_YES)
			goto out;
	if (MHD_queue_response(r->conn, status, resp) != MHD_YES)
		goto out;
	r->replied = 1;
	r->status = status;
	rc = 0;
 out:
	MHD_destroy_response(resp);
	return rc;
}

int
gw_reply_bytes(struct gw_req *r, unsigned status, const char *ctype,
    const void *buf, size_t len)
{
	void	*copy;

	if ((copy = malloc(len ? len : 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, buf, len);
	return queue(r, status, ctype, copy, len);
}

/*
 * Compact JSON output, the same text json_dumps(JSON_COMPACT) writes,
 * faster: jansson escapes strings through a callback per run of bytes.
 * Strings are valid UTF-8 in a json_t; only '"', '\\' and control
 * characters are escaped.
 */
struct obuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

static void
ob_put(struct obuf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->err)
		return;
	if (b->len + n + 2 > b->cap) {
		ncap = (b->cap ? b->cap : 1024);
		while (ncap < b->len + n + 2)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
ob_str(struct obuf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, run;
	unsigned char		 c;
	char			 e[6];

	ob_put(b, "\"", 1);
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n; run++) {
			c = (unsigned char)s[i + run];
			if (c < 0x20 || c == '"' || c == '\\')
				break;
		}
		if (run > 0) {
			ob_put(b, s + i, run);
			continue;
		}
		c = (unsigned char)s[i];
		run = 1;
		switch (c) {
		case '"':
			ob_put(b, "\\\"", 2);
			break;
		case '\\':
			ob_put(b, "\\\\", 2);
			break;
		case '\n':
			ob_put(b, "\\n", 2);
			break;
		case '\r':
			ob_put(b, "\\r", 2);
			break;
		case '\t':
			ob_put(b, "\\t", 2);
			break;
		case '\b':
			ob_put(b, "\\b", 2);
			break;
		case '\f':
			ob_put(b, "\\f", 2);
			break;
		default:
			e[0] = '\\';
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			ob_put(b, e, 6);
		}
	}
	ob_put(b, "\"", 1);
}

static void
ob_value(struct obuf *b, json_t *v, int depth)
{
	const char	*k;
	json_t		*x;
	char		 num[64], *t;
	size_t		 i;
	int		 first = 1, n;

	if (depth > 64) {
		b->err = 1;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		ob_put(b, "{", 1);
		json_object_foreach(v, k, x) {
			if (!first)
				ob_put(b, ",", 1);
			first = 0;
			ob_str(b, k, strlen(k));
			ob_put(b, ":", 1);
			ob_value(b, x, depth + 1);
		}
		ob_put(b, "}", 1);
		break;
	case JSON_ARRAY:
		ob_put(b, "[", 1);
		json_array_foreach(v, i, x) {
			if (i > 0)
				ob_put(b, ",", 1);
			ob_value(b, x, depth + 1);
		}
		ob_put(b, "]", 1);
		break;
	case JSON_STRING:
		ob_str(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		ob_put(b, num, (size_t)n);
		break;
	case JSON_REAL:
		/* Rare here: jansson's own formatting. */
		if ((t = json_dumps(v, JSON_ENCODE_ANY)) == NULL) {
			b->err = 1;
			return;
		}
		ob_put(b, t, strlen(t));
		free(t);
		break;
	case JSON_TRUE:
		ob_put(b, "true", 4);
		break;
	case JSON_FALSE:
		ob_put(b, "false", 5);
		break;
	case JSON_NULL:
		ob_put(b, "null", 4);
		break;
	}
}

char *
gw_json_compact(json_t *v, size_t *len)
{
	struct obuf	 b = { NULL, 0, 0, 0 };

	ob_value(&b, v, 0);
	if (b.err || b.p == NULL) {
		free(b.p);
		return NULL;
	}
	b.p[b.len] = '\0';
	*len = b.len;
	return b.p;
}

int
gw_reply_json(struct gw_req *r, unsigned status, json_t *v)
{
	char	*s;
	size_t	 n;

	if (v == NULL)
		return -1;
	s = gw_json_compact(v, &n);
	json_decref(v);
	if (s == NULL)
		return -1;
	/* A final newline keeps curl output readable (room was kept). */
	s[n++] = '\n';
	s[n] = '\0';
	return queue(r, status, "application/json", s, n);
}

/*
 * One status per error code, whichever layer raises it: 400 when the
 * request cannot be decoded or has the wrong shape, 422 when it decodes
 * but a value is unacceptable.  Codes not listed keep the caller's status.
 */
static const struct {
	const char	*code;
	unsigned	 status;
} code_status[] = {
	{ "json-invalid",	400 },
	{ "json-duplicate-key",	400 },
	{ "json-not-object",	400 },
	{ "missing-field",	400 },
	{ "wrong-type",		400 },
	{ "unknown-field",	400 },
	{ "conflicting-fields",	400 },
	{ "bad-time",		422 },
	{ "bad-value",		422 },
	{ "bad-chain",		422 },
};

int
gw_reply_error(struct gw_req *r, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];
	json_t	*v;
	size_t	 i;

	for (i = 0; i < sizeof(code_status) / sizeof(code_status[0]); i++)
		if (strcmp(code, code_status[i].code) == 0) {
			status = code_status[i].status;
			break;
		}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
	    "message", msg, "field", field);
	if (v == NULL) {
		/*
		 * The message echoes input (a percent-decoded path, a key)
		 * that need not be UTF-8, which jansson refuses: an error
		 * must still be answered, so show such bytes as '?'.
		 */
		for (i = 0; msg[i] != '\0'; i++)
			if ((unsigned char)msg[i] >= 0x80 ||
			    (unsigned char)msg[i] < 0x20)
				msg[i] = '?';
		v = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", code,
		    "message", msg, "field");
	}
	if (v == NULL)
		return -1;
	return gw_reply_json(r, status, v);
}
