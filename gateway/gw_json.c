/*
 * gw_json.c: the one rendering of findings, shared by every command and
 * every HTTP reply.
 */
#include <stdio.h>

#include "gw.h"

json_t *
gw_json_findings(const struct val_report *r)
{
	const struct val_finding	*f;
	json_t				*arr, *o;
	size_t				 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < r->n; i++) {
		f = &r->items[i];
		o = json_pack("{s:s, s:s, s:s, s:s, s:s?}",
		    "code", f->rule->code,
		    "severity", val_sev_name(f->rule->sev),
		    "cite", f->rule->cite,
		    "message", f->rule->text,
		    "where", f->where);
		if (o == NULL)
			goto fail;
		if (f->detail != NULL &&
		    json_object_set_new(o, "detail",
		    json_string(f->detail)) != 0) {
			json_decref(o);
			goto fail;
		}
		if (json_array_append_new(arr, o) != 0)
			goto fail;
	}
	return arr;
 fail:
	json_decref(arr);
	return NULL;
}

int
gw_json_print(json_t *v)
{
	int	 rc;

	if (v == NULL)
		return -1;
	rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0)
		return -1;
	return 0;
}

int
gw_parse_at(const char *cmd, const char *arg, time_t *out)
{
	if (val_time_parse(arg, out) != 0) {
		fprintf(stderr, "xbrg %s: --at: not an RFC 3339 time: '%s' "
		    "(example: 2023-11-14T22:13:20Z)\n", cmd, arg);
		return -1;
	}
	return 0;
}
