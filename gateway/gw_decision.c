/*
 * gw_decision.c: recognition decision documents, signed as CMS SignedData
 * (gw_cms.c).  The document is JSON in a fixed key order (the order of
 * the shape in gw.h), serialized compactly as UTF-8; the same checker
 * guards what we sign and what we accept when verifying, so a document
 * that verifies always has the documented shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "gw.h"
#include "gw_cms_int.h"

#define MAX_ID_LEN	128	/* decision and dossier ids */
#define MAX_TEXT_LEN	4096	/* names, comments, conditions */
#define MAX_ITEMS	256	/* entries of one array */

static const struct val_rule r_content = { "DEC-CONTENT", VAL_ERROR,
	"xbrg decisions (README: Signed recognition decisions)",
	"signed content is not a recognition decision document" };

static const char *const actions[] = {
	"approve", "reject", "suspend", "reinstate", "revoke", "withdraw",
	NULL
};

int
gw_decision_action_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && actions[i] != NULL; i++)
		if (strcmp(s, actions[i]) == 0)
			return 1;
	return 0;
}

static int
str_ok(const json_t *v, size_t max)
{
	return json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) <= max &&
	    strlen(json_string_value(v)) == json_string_length(v);
}

static int
time_ok(const json_t *v, time_t *t)
{
	return json_is_string(v) &&
	    val_time_parse(json_string_value(v), t) == 0;
}

/* Copies the listed keys of o in list order into a new object, refusing
 * any other key.  Returns 0 or -1 with err. */
static int
only_keys(const json_t *o, const char *const *keys, const char *where,
    char *err, size_t errlen)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s: not an object", where);
		return -1;
	}
	json_object_foreach((json_t *)o, k, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			snprintf(err, errlen, "%s%s%s: unknown key", where,
			    *where != '\0' ? "." : "", k);
			return -1;
		}
	}
	return 0;
}

/* An optional array of strings; copied into out under key. */
static int
str_array(const json_t *o, const char *key, const char *where, json_t *out,
    char *err, size_t errlen)
{
	json_t	*a, *v;
	size_t	 i;

	if ((a = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > MAX_ITEMS) {
		snprintf(err, errlen, "%s%s: not an array of at most %d "
		    "strings", where, key, MAX_ITEMS);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!str_ok(v, MAX_TEXT_LEN)) {
			snprintf(err, errlen, "%s%s[%zu]: not a non-empty "
			    "string", where, key, i);
			return -1;
		}
	}
	return json_object_set(out, key, a) == 0 ? 0 : -1;
}

static int
opt_str(const json_t *o, const char *key, const char *where, size_t max,
    int required, json_t *out, char *err, size_t errlen)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL) {
		if (!required)
			return 0;
		snprintf(err, errlen, "%s%s: missing", where, key);
		return -1;
	}
	if (!str_ok(v, max)) {
		snprintf(err, errlen, "%s%s: not a non-empty string of at most "
		    "%zu bytes", where, key, max);
		return -1;
	}
	return json_object_set(out, key, v) == 0 ? 0 : -1;
}

static int
hex64(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/*
 * Checks doc and returns a copy in the canonical key order, or NULL with
 * err naming the offending key.
 */
static json_t *
canonical(const json_t *doc, char *err, size_t errlen)
{
	static const char *const top[] = { "type", "version", "decision_id",
	    "dossier_id", "action", "ca", "scope", "validity", "conditions",
	    "reviewers", "comment", "decided_at", NULL };
	static const char *const cak[] = { "legal_name", "country",
	    "registration_id", "certificates", NULL };
	static const char *const certk[] = { "subject", "sha256", NULL };
	static const char *const scopek[] = { "certificate_types",
	    "application_scenarios", NULL };
	static const char *const valk[] = { "not_before", "not_after", NULL };
	json_t		*c = NULL, *ca = NULL, *sub = NULL;
	json_t		*v, *a, *e, *x;
	time_t		 nb = 0, na = 0, t;
	size_t		 i;
	char		 w[64];

	if (only_keys(doc, top, "", err, errlen) != 0)
		return NULL;
	if ((c = json_object()) == NULL)
		goto oom;
	v = json_object_get(doc, "type");
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), GW_DECISION_TYPE) != 0) {
		snprintf(err, errlen, "type: not \"%s\"", GW_DECISION_TYPE);
		goto fail;
	}
	json_object_set(c, "type", v);
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		snprintf(err, errlen, "version: not 1");
		goto fail;
	}
	json_object_set(c, "version", v);
	if (opt_str(doc, "decision_id", "", MAX_ID_LEN, 1, c, err,
	    errlen) != 0 || opt_str(doc, "dossier_id", "", MAX_ID_LEN, 1, c,
	    err, errlen) != 0)
		goto fail;
	v = json_object_get(doc, "action");
	if (!json_is_string(v) ||
	    !gw_decision_action_ok(json_string_value(v))) {
		snprintf(err, errlen, "action: not one of approve, reject, "
		    "suspend, reinstate, revoke, withdraw");
		goto fail;
	}
	json_object_set(c, "action", v);

	/* ca */
	if ((v = json_object_get(doc, "ca")) == NULL) {
		snprintf(err, errlen, "ca: missing");
		goto fail;
	}
	if (only_keys(v, cak, "ca", err, errlen) != 0)
		goto fail;
	if ((ca = json_object()) == NULL)
		goto oom;
	if (opt_str(v, "legal_name", "ca.", MAX_TEXT_LEN, 1, ca, err,
	    errlen) != 0 || opt_str(v, "country", "ca.", 2, 0, ca, err,
	    errlen) != 0 || opt_str(v, "registration_id", "ca.",
	    MAX_TEXT_LEN, 0, ca, err, errlen) != 0)
		goto fail;
	if ((a = json_object_get(v, "certificates")) != NULL) {
		if (!json_is_array(a) || json_array_size(a) > MAX_ITEMS) {
			snprintf(err, errlen, "ca.certificates: not an array");
			goto fail;
		}
		if ((sub = json_array()) == NULL)
			goto oom;
		json_array_foreach(a, i, e) {
			snprintf(w, sizeof(w), "ca.certificates[%zu]", i);
			if (only_keys(e, certk, w, err, errlen) != 0)
				goto fail;
			x = json_object_get(e, "sha256");
			if (!json_is_string(x) ||
			    json_string_length(x) != 64 ||
			    !hex64(json_string_value(x))) {
				snprintf(err, errlen, "%s.sha256: not 64 "
				    "lower-case hex digits", w);
				goto fail;
			}
			if ((x = json_object()) == NULL ||
			    json_array_append_new(sub, x) != 0)
				goto oom;
			snprintf(w, sizeof(w), "ca.certificates[%zu].", i);
			if (opt_str(e, "subject", w, MAX_TEXT_LEN, 0, x, err,
			    errlen) != 0 || opt_str(e, "sha256", w, 64, 1, x,
			    err, errlen) != 0)
				goto fail;
		}
		if (json_object_set_new(ca, "certificates", sub) != 0) {
			sub = NULL;
			goto oom;
		}
		sub = NULL;
	}
	if (json_object_set_new(c, "ca", ca) != 0) {
		ca = NULL;
		goto oom;
	}
	ca = NULL;

	/* scope */
	if ((v = json_object_get(doc, "scope")) != NULL) {
		if (only_keys(v, scopek, "scope", err, errlen) != 0)
			goto fail;
		if ((sub = json_object()) == NULL)
			goto oom;
		if (str_array(v, "certificate_types", "scope.", sub, err,
		    errlen) != 0 || str_array(v, "application_scenarios",
		    "scope.", sub, err, errlen) != 0)
			goto fail;
		if (json_object_set_new(c, "scope", sub) != 0) {
			sub = NULL;
			goto oom;
		}
		sub = NULL;
	}

	/* validity */
	if ((v = json_object_get(doc, "validity")) != NULL) {
		if (only_keys(v, valk, "validity", err, errlen) != 0)
			goto fail;
		if ((x = json_object_get(v, "not_before")) != NULL &&
		    !time_ok(x, &nb)) {
			snprintf(err, errlen, "validity.not_before: not an "
			    "RFC 3339 time");
			goto fail;
		}
		if ((e = json_object_get(v, "not_after")) != NULL &&
		    !time_ok(e, &na)) {
			snprintf(err, errlen, "validity.not_after: not an "
			    "RFC 3339 time");
			goto fail;
		}
		if (x != NULL && e != NULL && na < nb) {
			snprintf(err, errlen, "validity.not_after: before "
			    "not_before");
			goto fail;
		}
		if ((sub = json_object()) == NULL)
			goto oom;
		if ((x != NULL && json_object_set(sub, "not_before", x) != 0) ||
		    (e != NULL && json_object_set(sub, "not_after", e) != 0))
			goto oom;
		if (json_object_set_new(c, "validity", sub) != 0) {
			sub = NULL;
			goto oom;
		}
		sub = NULL;
	}
	if (str_array(doc, "conditions", "", c, err, errlen) != 0 ||
	    str_array(doc, "reviewers", "", c, err, errlen) != 0 ||
	    opt_str(doc, "comment", "", MAX_TEXT_LEN, 0, c, err, errlen) != 0)
		goto fail;
	v = json_object_get(doc, "decided_at");
	if (v == NULL || !time_ok(v, &t)) {
		snprintf(err, errlen, "decided_at: %s", v == NULL ? "missing" :
		    "not an RFC 3339 time");
		goto fail;
	}
	json_object_set(c, "decided_at", v);
	return c;
 oom:
	snprintf(err, errlen, "out of memory");
 fail:
	json_decref(sub);
	json_decref(ca);
	json_decref(c);
	return NULL;
}

static json_t *
strv(const char *const *v)
{
	json_t	*a;

	if ((a = json_array()) == NULL)
		return NULL;
	for (; v != NULL && *v != NULL; v++)
		if (json_array_append_new(a, json_string(*v)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int
set_time(json_t *o, const char *key, time_t t)
{
	char	 b[VAL_TIME_LEN];

	val_time_format(t, b);
	return json_object_set_new(o, key, json_string(b));
}

json_t *
gw_decision_doc(const struct gw_decision *d, char *err, size_t errlen)
{
	json_t		*o = NULL, *ca, *certs, *c, *canon = NULL, *x;
	unsigned char	 md[32];
	unsigned int	 mdlen;
	char		 hex[65], *subj;
	size_t		 i;
	int		 j, bad = 0;

	if ((o = json_object()) == NULL)
		goto oom;
	bad |= json_object_set_new(o, "type", json_string(GW_DECISION_TYPE));
	bad |= json_object_set_new(o, "version", json_integer(1));
	if (d->decision_id != NULL)
		bad |= json_object_set_new(o, "decision_id",
		    json_string(d->decision_id));
	if (d->dossier_id != NULL)
		bad |= json_object_set_new(o, "dossier_id",
		    json_string(d->dossier_id));
	if (d->action != NULL)
		bad |= json_object_set_new(o, "action",
		    json_string(d->action));
	if ((ca = json_object()) == NULL ||
	    json_object_set_new(o, "ca", ca) != 0)
		goto oom;
	if (d->ca_legal_name != NULL)
		bad |= json_object_set_new(ca, "legal_name",
		    json_string(d->ca_legal_name));
	if (d->ca_country != NULL)
		bad |= json_object_set_new(ca, "country",
		    json_string(d->ca_country));
	if (d->ca_registration_id != NULL)
		bad |= json_object_set_new(ca, "registration_id",
		    json_string(d->ca_registration_id));
	if (d->ca_certs != NULL && d->ca_ncerts > 0) {
		if ((certs = json_array()) == NULL ||
		    json_object_set_new(ca, "certificates", certs) != 0)
			goto oom;
		for (i = 0; i < d->ca_ncerts; i++) {
			if (X509_digest(d->ca_certs[i], EVP_sha256(), md,
			    &mdlen) != 1)
				goto oom;
			for (j = 0; j < 32; j++)
				snprintf(hex + 2 * j, 3, "%02x", md[j]);
			subj = val_name_text(
			    X509_get_subject_name(d->ca_certs[i]));
			c = json_pack("{s:s?, s:s}", "subject", subj,
			    "sha256", hex);
			free(subj);
			if (c == NULL || json_array_append_new(certs, c) != 0)
				goto oom;
		}
	}
	if (d->certificate_types != NULL || d->application_scenarios != NULL) {
		if ((x = json_object()) == NULL ||
		    json_object_set_new(o, "scope", x) != 0)
			goto oom;
		if (d->certificate_types != NULL)
			bad |= json_object_set_new(x, "certificate_types",
			    strv(d->certificate_types));
		if (d->application_scenarios != NULL)
			bad |= json_object_set_new(x, "application_scenarios",
			    strv(d->application_scenarios));
	}
	if (d->not_before != 0 || d->not_after != 0) {
		if ((x = json_object()) == NULL ||
		    json_object_set_new(o, "validity", x) != 0)
			goto oom;
		if (d->not_before != 0)
			bad |= set_time(x, "not_before", d->not_before);
		if (d->not_after != 0)
			bad |= set_time(x, "not_after", d->not_after);
	}
	if (d->conditions != NULL)
		bad |= json_object_set_new(o, "conditions",
		    strv(d->conditions));
	if (d->reviewers != NULL)
		bad |= json_object_set_new(o, "reviewers", strv(d->reviewers));
	if (d->comment != NULL)
		bad |= json_object_set_new(o, "comment",
		    json_string(d->comment));
	if (d->decided_at != 0)
		bad |= set_time(o, "decided_at", d->decided_at);
	if (bad)
		goto oom;
	/* Refuse what gw_decision_sign() would refuse, now. */
	canon = canonical(o, err, errlen);
	json_decref(o);
	return canon;
 oom:
	snprintf(err, errlen, "out of memory (or a string not UTF-8)");
	json_decref(o);
	return NULL;
}

int
gw_decision_sign(const struct gw_signer *s, const json_t *doc, time_t now,
    unsigned char **der, size_t *derlen, char *err, size_t errlen)
{
	json_t	*c;
	char	*text = NULL, why[256];
	int	 rc = -1;

	if ((c = canonical(doc, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "decision document: %s", why);
		return -1;
	}
	if ((text = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL) {
		snprintf(err, errlen, "decision document: cannot serialize");
		goto out;
	}
	rc = gw_cms_sign(s, (unsigned char *)text, strlen(text), now, der,
	    derlen, err, errlen);
 out:
	free(text);
	json_decref(c);
	return rc;
}

int
gw_decision_verify(const unsigned char *der, size_t len, X509 *pinned,
    json_t **doc_out, struct gw_cms_info *info, struct val_report *rep)
{
	struct gw_cms_info	 i;
	json_error_t		 je;
	json_t			*doc = NULL, *c = NULL;
	char			 why[256];
	int			 rc = -1;

	memset(&i, 0, sizeof(i));
	if (gw_cms_verify(der, len, pinned, &i, rep) != 0)
		goto out;
	rc = 0;
	if (i.content == NULL)
		goto out;	/* fatal finding already there */
	if (i.content_len > GW_MAX_DECISION_JSON)
		val_report_add(rep, &r_content, "eContent", "%zu bytes > %d",
		    i.content_len, GW_MAX_DECISION_JSON);
	else if ((doc = json_loadb((char *)i.content, i.content_len,
	    JSON_REJECT_DUPLICATES, &je)) == NULL)
		val_report_add(rep, &r_content, "eContent",
		    "JSON line %d column %d: %s", je.line, je.column, je.text);
	else if ((c = canonical(doc, why, sizeof(why))) == NULL)
		val_report_add(rep, &r_content, "eContent", "%s", why);
	if (rep->oom) {
		rc = -1;
		goto out;
	}
	if (c != NULL && doc_out != NULL &&
	    val_report_verdict(rep) != VAL_VERDICT_FAIL) {
		*doc_out = c;
		c = NULL;
	}
 out:
	if (info != NULL)
		*info = i;
	else
		gw_cms_info_free(&i);
	json_decref(doc);
	json_decref(c);
	return rc;
}
