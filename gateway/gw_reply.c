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

int
gw_reply_json(struct gw_req *r, unsigned status, json_t *v)
{
	char	*s;
	size_t	 n;
	int	 rc;

	if (v == NULL)
		return -1;
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (s == NULL)
		return -1;
	n = strlen(s);
	/* A final newline keeps curl output readable. */
	{
		char	*t = realloc(s, n + 2);

		if (t == NULL) {
			free(s);
			return -1;
		}
		s = t;
		s[n++] = '\n';
		s[n] = '\0';
	}
	rc = queue(r, status, "application/json", s, n);
	return rc;
}

int
gw_reply_error(struct gw_req *r, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];
	json_t	*v;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
	    "message", msg, "field", field);
	if (v == NULL)
		return -1;
	return gw_reply_json(r, status, v);
}
