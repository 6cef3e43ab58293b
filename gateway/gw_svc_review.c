/*
 * gw_svc_review.c: review actions and expiry.  One write transaction per
 * action: read the dossier (and recognition) under the write lock, apply
 * gw_lifecycle_step(), check who may act (role, tenant, self-review,
 * four-eyes), sign the decision when the step produces one, and store the
 * state change, the review row, the decision, the recognition and the
 * audit entry together.  Nothing is written when any step fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>

#include "gw_svc_int.h"

/* What an action carries (decoded body). */
struct review_in {
	enum gw_action	 action;
	const char	*comment;
	const char	*valid_until_s;
	time_t		 valid_until;
	const json_t	*types;		/* borrowed from the body, or NULL */
	const json_t	*scenarios;
	const json_t	*conditions;
};

/* What the stored dossier body says about the CA (policy-independent). */
struct body_info {
	json_t			*root;
	const char		*legal_name;
	const char		*country;
	const char		*registration_id;
	const json_t		*types;
	const json_t		*scenarios;
	struct val_certs	 ca;
};

static void
body_info_clear(struct body_info *b)
{
	json_decref(b->root);
	val_certs_free(&b->ca);
	memset(b, 0, sizeof(*b));
}

static int
body_info_load(const char *body, struct body_info *b)
{
	const json_t	*app, *chain, *pem;
	char		 err[256], name[32];
	size_t		 i;

	memset(b, 0, sizeof(*b));
	if ((b->root = json_loads(body, 0, NULL)) == NULL)
		return -1;
	app = json_object_get(b->root, "applicant");
	b->legal_name = json_string_value(json_object_get(app, "legal_name"));
	b->country = json_string_value(json_object_get(app, "country"));
	b->registration_id = json_string_value(json_object_get(app,
	    "registration_id"));
	b->types = json_object_get(b->root, "certificate_types");
	b->scenarios = json_object_get(b->root, "application_scenarios");
	chain = json_object_get(b->root, "ca_chain");
	json_array_foreach(chain, i, pem) {
		snprintf(name, sizeof(name), "ca_chain[%zu]", i);
		if (val_certs_load_mem((const unsigned char *)
		    json_string_value(pem), json_string_length(pem), name,
		    &b->ca, err, sizeof(err)) != 0)
			return -1;
	}
	return 0;
}

/* A NULL-terminated vector borrowing the strings of a JSON array. */
static const char **
strv_of(const json_t *arr)
{
	const char	**v;
	const json_t	*s;
	size_t		  i, n;

	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s = json_array_get(arr, i);
		v[i] = json_is_string(s) ? json_string_value(s) : "";
	}
	return v;
}

static json_t *
ca_certs_json(const struct val_certs *cs)
{
	json_t	*arr, *o;
	char	 fp[65], *subj;
	size_t	 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < cs->n; i++) {
		val_cert_sha256_hex(cs->v[i].x509, fp);
		subj = val_name_text(X509_get_subject_name(cs->v[i].x509));
		o = subj == NULL ? NULL : json_pack("{s:s, s:s}", "subject",
		    subj, "sha256", fp);
		free(subj);
		if (o == NULL || json_array_append_new(arr, o) != 0)
			goto fail;
	}
	return arr;
 fail:
	json_decref(arr);
	return NULL;
}

/* Is every string of sub in the array of. */
static int
subset(const json_t *sub, const json_t *of, char *bad, size_t badlen)
{
	const json_t	*s, *t;
	size_t		 i, j;

	json_array_foreach(sub, i, s) {
		json_array_foreach(of, j, t)
			if (json_equal(s, t))
				break;
		if (j == json_array_size(of)) {
			snprintf(bad, badlen, "%s", json_string_value(s));
			return 0;
		}
	}
	return 1;
}

static enum gw_svc_status
decode_review(const char *body, size_t len, json_t **rootp,
    struct review_in *in, struct gw_svc_err *e)
{
	static const char *const keys[] = { "action", "comment",
	    "valid_until", "certificate_types", "application_scenarios",
	    "conditions", NULL };
	const char	*action, *f;
	json_t		*root;
	char		**v = NULL;
	size_t		 n;

	memset(in, 0, sizeof(*in));
	*rootp = NULL;
	if (len > GW_MAX_REVIEW_BYTES) {
		gw_svc_seterr(e, GW_SVC_TOO_LARGE, "too-large", NULL,
		    "the review is larger than %d bytes", GW_MAX_REVIEW_BYTES);
		return GW_SVC_TOO_LARGE;
	}
	if ((root = gw_jdec_parse(body, len, e)) == NULL)
		return e->status;
	if (gw_jdec_keys(root, "", keys, e) != 0 ||
	    gw_jdec_str(root, "", "action", 1, GW_MAX_SHORT, 0, &action,
	    e) != 0 ||
	    gw_jdec_str(root, "", "comment", 0, GW_MAX_TEXT, 1, &in->comment,
	    e) != 0 ||
	    gw_jdec_str(root, "", "valid_until", 0, 64, 0, &in->valid_until_s,
	    e) != 0)
		goto fail;
	if (gw_action_parse(action, &in->action) != 0 ||
	    in->action == GW_ACT_AMEND || in->action == GW_ACT_EXPIRE) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", "action",
		    "unknown action '%.64s' (approve, reject, request-info, "
		    "suspend, reinstate, revoke, withdraw)", action);
		goto fail;
	}
	if (in->valid_until_s != NULL &&
	    val_time_parse(in->valid_until_s, &in->valid_until) != 0) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value",
		    "valid_until", "not an RFC 3339 time: '%.64s'",
		    in->valid_until_s);
		goto fail;
	}
	/* The scope members: arrays of distinct short strings. */
	if (gw_jdec_strv(root, "", "certificate_types", 0, 1, GW_MAX_TYPES,
	    GW_MAX_SHORT, &v, &n, e) != 0)
		goto fail;
	gw_strv_free(v);
	if (gw_jdec_strv(root, "", "application_scenarios", 0, 1,
	    GW_MAX_SCENARIOS, GW_MAX_SHORT, &v, &n, e) != 0)
		goto fail;
	gw_strv_free(v);
	if (gw_jdec_strv(root, "", "conditions", 0, 0, GW_MAX_CONDITIONS,
	    GW_MAX_NAME, &v, &n, e) != 0)
		goto fail;
	gw_strv_free(v);
	in->types = json_object_get(root, "certificate_types");
	in->scenarios = json_object_get(root, "application_scenarios");
	in->conditions = json_object_get(root, "conditions");
	if (in->action != GW_ACT_APPROVE) {
		f = in->valid_until_s ? "valid_until" : in->types ?
		    "certificate_types" : in->scenarios ?
		    "application_scenarios" : in->conditions ? "conditions" :
		    NULL;
		if (f != NULL) {
			gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value", f,
			    "'%s' belongs to an approval only", f);
			goto fail;
		}
	}
	*rootp = root;
	return GW_SVC_OK;
 fail:
	json_decref(root);
	return e->status;
}

/* The first approval: what the second reviewer is asked to confirm. */
static enum gw_svc_status
make_pending(const struct gw_actor *a, const struct review_in *in,
    const struct body_info *b, time_t now, char **out,
    struct gw_svc_err *e)
{
	json_t	*o, *until;
	char	 bad[GW_MAX_SHORT + 1];

	if (in->types != NULL && !subset(in->types, b->types, bad,
	    sizeof(bad))) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value",
		    "certificate_types", "'%s' was not declared in the "
		    "dossier", bad);
		return GW_SVC_UNPROCESSABLE;
	}
	if (in->scenarios != NULL && !subset(in->scenarios, b->scenarios, bad,
	    sizeof(bad))) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value",
		    "application_scenarios", "'%s' was not declared in the "
		    "dossier", bad);
		return GW_SVC_UNPROCESSABLE;
	}
	if (in->valid_until_s != NULL && in->valid_until <= now) {
		gw_svc_seterr(e, GW_SVC_UNPROCESSABLE, "bad-value",
		    "valid_until", "'valid_until' must be in the future");
		return GW_SVC_UNPROCESSABLE;
	}
	until = in->valid_until_s ? gw_svc_time_json(in->valid_until) :
	    json_null();
	o = json_pack("{s:s, s:o, s:s?, s:O, s:O, s:o, s:o}",
	    "reviewer", a->id, "time", gw_svc_time_json(now),
	    "comment", in->comment,
	    "certificate_types", in->types ? in->types : b->types,
	    "application_scenarios", in->scenarios ? in->scenarios :
	    b->scenarios,
	    "valid_until", until,
	    "conditions", in->conditions ? json_incref((json_t *)
	    in->conditions) : json_array());
	if (o == NULL)
		return gw_svc_oom(e);
	*out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return *out ? GW_SVC_OK : gw_svc_oom(e);
}

/* The second approval must not change what the first one proposed. */
static int
same_scope(const json_t *pending, const struct review_in *in, time_t now,
    const char **field)
{
	json_t	*t;
	int	 same;

	if (in->types && !json_equal(in->types,
	    json_object_get(pending, "certificate_types"))) {
		*field = "certificate_types";
		return 0;
	}
	if (in->scenarios && !json_equal(in->scenarios,
	    json_object_get(pending, "application_scenarios"))) {
		*field = "application_scenarios";
		return 0;
	}
	if (in->conditions && !json_equal(in->conditions,
	    json_object_get(pending, "conditions"))) {
		*field = "conditions";
		return 0;
	}
	if (in->valid_until_s) {
		t = gw_svc_time_json(in->valid_until);
		same = json_equal(t, json_object_get(pending, "valid_until"));
		json_decref(t);
		if (!same) {
			*field = "valid_until";
			return 0;
		}
	}
	(void)now;
	return 1;
}

/*
 * The part of a decision every kind shares: its id, the dossier and the
 * CA it is about (from the dossier body; certs receives the chain).
 */
static void
decision_base(struct gw_decision *gd, X509 *certs[GW_MAX_CA_CHAIN],
    const char *id, const struct st_dossier *d, const struct body_info *b,
    const char *action)
{
	size_t	 i;

	for (i = 0; i < b->ca.n && i < GW_MAX_CA_CHAIN; i++)
		certs[i] = b->ca.v[i].x509;
	memset(gd, 0, sizeof(*gd));
	gd->decision_id = id;
	gd->dossier_id = d->id;
	gd->action = action;
	gd->ca_legal_name = b->legal_name;
	gd->ca_country = b->country;
	gd->ca_registration_id = b->registration_id;
	gd->ca_certs = certs;
	gd->ca_ncerts = i;
}

/* Signs a decision document; fills the st_decision (owned strings). */
static enum gw_svc_status
sign_decision(struct gw_svc *s, const struct gw_decision *gd, time_t now,
    struct st_decision *out, struct gw_svc_err *e)
{
	json_t	*doc;
	char	 err[256];

	if ((doc = gw_decision_doc(gd, err, sizeof(err))) == NULL) {
		gw_svc_seterr(e, GW_SVC_INTERNAL, "decision-error", NULL,
		    "decision document: %s", err);
		return GW_SVC_INTERNAL;
	}
	if (gw_decision_sign(s->signer, doc, now, &out->der, &out->der_len,
	    err, sizeof(err)) != 0) {
		json_decref(doc);
		gw_svc_seterr(e, GW_SVC_INTERNAL, "signing-failed", NULL,
		    "signing the decision: %s", err);
		return GW_SVC_INTERNAL;
	}
	out->doc = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return out->doc ? GW_SVC_OK : gw_svc_oom(e);
}

/* Everything one review writes, gathered before the writes. */
struct review_out {
	struct st_decision	 dec;		/* dec.id NULL: none */
	struct st_recognition	 rec;		/* rec.id NULL: none */
	int			 rec_new;
	char			 dec_id[GW_ID_MAX];
	char			 rec_id[GW_ID_MAX];
};

static void
review_out_clear(struct review_out *o)
{
	free(o->dec.doc);
	free(o->dec.der);
	o->dec.doc = NULL;
	o->dec.der = NULL;
	if (!o->rec_new)
		st_recognition_clear(&o->rec);
	else
		free(o->rec.scope);
}

static int
earliest_not_after(const struct val_certs *cs, time_t *out)
{
	time_t	 t;
	size_t	 i;
	int	 have = 0;

	for (i = 0; i < cs->n; i++) {
		if (val_asn1_time(X509_get0_notAfter(cs->v[i].x509), &t) != 0)
			continue;
		if (!have || t < *out)
			*out = t;
		have = 1;
	}
	return have ? 0 : -1;
}

/* The approval decision and the new recognition. */
static enum gw_svc_status
approve(struct gw_svc *s, const struct st_dossier *d,
    const struct body_info *b, const json_t *pending,
    const struct gw_actor *a, const struct review_in *in, time_t now,
    struct review_out *ro, struct gw_svc_err *e)
{
	struct gw_decision	 gd;
	const char		*reviewers[3], **types = NULL, **scen = NULL;
	const char		**cond = NULL, *comment;
	X509			*certs[GW_MAX_CA_CHAIN];
	json_t			*scope = NULL, *cj;
	time_t			 until, cap = 0;
	enum gw_svc_status	 st;

	until = now + (time_t)s->policy->validity_days * 86400;
	if (json_is_string(json_object_get(pending, "valid_until")))
		val_time_parse(json_string_value(json_object_get(pending,
		    "valid_until")), &until);
	if (earliest_not_after(&b->ca, &cap) == 0) {
		if (cap <= now) {
			gw_svc_seterr(e, GW_SVC_CONFLICT, "ca-expired", NULL,
			    "a CA certificate of the dossier has expired");
			return GW_SVC_CONFLICT;
		}
		if (until > cap)
			until = cap;
	}
	if (until <= now) {
		gw_svc_seterr(e, GW_SVC_CONFLICT, "validity-passed",
		    "valid_until", "the proposed validity has already ended");
		return GW_SVC_CONFLICT;
	}
	reviewers[0] = json_string_value(json_object_get(pending, "reviewer"));
	reviewers[1] = a->id;
	reviewers[2] = NULL;
	comment = in->comment ? in->comment :
	    json_string_value(json_object_get(pending, "comment"));
	types = strv_of(json_object_get(pending, "certificate_types"));
	scen = strv_of(json_object_get(pending, "application_scenarios"));
	cond = strv_of(json_object_get(pending, "conditions"));
	if (types == NULL || scen == NULL || cond == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	if (gw_svc_newid("dec", ro->dec_id) != 0 ||
	    gw_svc_newid("rec", ro->rec_id) != 0) {
		st = gw_svc_oom(e);
		goto out;
	}
	decision_base(&gd, certs, ro->dec_id, d, b, "approve");
	gd.certificate_types = types;
	gd.application_scenarios = scen;
	gd.not_before = now;
	gd.not_after = until;
	gd.conditions = cond;
	gd.reviewers = reviewers;
	gd.comment = comment;
	gd.decided_at = now;
	if ((st = sign_decision(s, &gd, now, &ro->dec, e)) != GW_SVC_OK)
		goto out;
	ro->dec.id = ro->dec_id;
	ro->dec.recognition_id = ro->rec_id;
	ro->dec.kind = (char *)"approve";
	ro->dec.public_ = 1;
	if ((cj = ca_certs_json(&b->ca)) == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	scope = json_pack("{s:s?, s:s?, s:s?, s:O, s:O, s:o, s:O, s:[s,s]}",
	    "legal_name", b->legal_name, "country", b->country,
	    "registration_id", b->registration_id,
	    "certificate_types", json_object_get(pending, "certificate_types"),
	    "application_scenarios", json_object_get(pending,
	    "application_scenarios"), "ca_certificates", cj,
	    "conditions", json_object_get(pending, "conditions"),
	    "reviewers", reviewers[0], reviewers[1]);
	if (scope == NULL || (ro->rec.scope = json_dumps(scope,
	    JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	ro->rec_new = 1;
	ro->rec.id = ro->rec_id;
	ro->rec.dossier_id = d->id;
	ro->rec.tenant = d->tenant;
	ro->rec.status = (char *)gw_status_name(GW_ST_APPROVED);
	ro->rec.decision_id = ro->dec_id;
	ro->rec.not_before = now;
	ro->rec.not_after = until;
	st = GW_SVC_OK;
 out:
	json_decref(scope);
	free(types);
	free(scen);
	free(cond);
	return st;
}

/*
 * Decisions about an existing recognition (ro->rec read from the store),
 * and rejections (no recognition).
 */
static enum gw_svc_status
other_decision(struct gw_svc *s, const struct st_dossier *d,
    const struct body_info *b, const char *action, enum gw_status to,
    const struct gw_actor *a, const struct review_in *in, time_t now,
    struct review_out *ro, struct gw_svc_err *e)
{
	struct gw_decision	 gd;
	const char		*reviewers[2], **types = NULL, **scen = NULL;
	const char		**cond = NULL;
	X509			*certs[GW_MAX_CA_CHAIN];
	json_t			*scope = NULL;
	enum gw_svc_status	 st;

	if (ro->rec.id != NULL) {
		scope = json_loads(ro->rec.scope, 0, NULL);
		types = strv_of(json_object_get(scope, "certificate_types"));
		scen = strv_of(json_object_get(scope,
		    "application_scenarios"));
		cond = strv_of(json_object_get(scope, "conditions"));
	} else {
		types = strv_of(b->types);
		scen = strv_of(b->scenarios);
		cond = strv_of(NULL);
	}
	if (types == NULL || scen == NULL || cond == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	reviewers[0] = a->id;
	reviewers[1] = NULL;
	if (gw_svc_newid("dec", ro->dec_id) != 0) {
		st = gw_svc_oom(e);
		goto out;
	}
	decision_base(&gd, certs, ro->dec_id, d, b, action);
	gd.certificate_types = types;
	gd.application_scenarios = scen;
	if (ro->rec.id != NULL) {
		gd.not_before = ro->rec.not_before;
		gd.not_after = ro->rec.not_after;
	}
	gd.conditions = cond;
	gd.reviewers = reviewers;
	gd.comment = in->comment;
	gd.decided_at = now;
	if ((st = sign_decision(s, &gd, now, &ro->dec, e)) != GW_SVC_OK)
		goto out;
	ro->dec.id = ro->dec_id;
	ro->dec.kind = (char *)action;
	ro->dec.public_ = strcmp(action, "reject") != 0;
	if (ro->rec.id != NULL) {
		ro->dec.recognition_id = ro->rec.id;
		free(ro->rec.status);
		free(ro->rec.decision_id);
		ro->rec.status = strdup(gw_status_name(to));
		ro->rec.decision_id = strdup(ro->dec_id);
		if (ro->rec.status == NULL || ro->rec.decision_id == NULL) {
			st = gw_svc_oom(e);
			goto out;
		}
	}
	st = GW_SVC_OK;
 out:
	json_decref(scope);
	free(types);
	free(scen);
	free(cond);
	return st;
}

enum gw_svc_status
gw_svc_review(struct gw_svc *s, const struct gw_actor *a,
    const char *dossier_id, const char *body, size_t len, time_t now,
    json_t **out, struct gw_svc_err *e)
{
	struct review_in	 in;
	struct review_out	 ro;
	struct body_info	 b;
	struct st_dossier	 d;
	struct st_review	 rv;
	struct st_tx		*tx = NULL;
	struct gw_step		 step;
	enum gw_status		 from;
	enum gw_svc_status	 st;
	json_t			*root = NULL, *pending = NULL, *cj;
	const char		*field, *verdict;
	char			*newpending = NULL, *det = NULL;
	int			 rc, rec_changed = 0;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	memset(&ro, 0, sizeof(ro));
	memset(&b, 0, sizeof(b));
	if ((st = gw_svc_actor_ok(a, e)) != GW_SVC_OK)
		return st;
	if ((st = decode_review(body, len, &root, &in, e)) != GW_SVC_OK)
		return st;
	if (in.action == GW_ACT_WITHDRAW ? a->role != GW_ROLE_SUBMITTER :
	    a->role != GW_ROLE_REVIEWER) {
		gw_svc_seterr(e, GW_SVC_FORBIDDEN, "forbidden", "action",
		    "a %s may not %s", gw_role_name(a->role),
		    gw_action_name(in.action));
		st = GW_SVC_FORBIDDEN;
		goto out;
	}
	if (!gw_svc_id_ok(dossier_id, "dos")) {
		gw_svc_seterr(e, GW_SVC_NOT_FOUND, "not-found", NULL,
		    "no dossier '%.64s'", dossier_id ? dossier_id : "");
		st = GW_SVC_NOT_FOUND;
		goto out;
	}
	if ((st = gw_svc_begin(s, 1, &tx, e)) != GW_SVC_OK)
		goto out;
	if ((st = gw_svc_dossier_load(tx, a, dossier_id, &d, e)) !=
	    GW_SVC_OK)
		goto out;
	/* Nobody reviews a dossier they submitted or that their own
	 * organisation (tenant) submitted. */
	if (a->role == GW_ROLE_REVIEWER && (strcmp(a->id,
	    d.submitted_by) == 0 || (a->tenant != NULL &&
	    strcmp(a->tenant, d.tenant) == 0))) {
		gw_svc_seterr(e, GW_SVC_FORBIDDEN, "self-review", NULL,
		    "%s may not review a dossier it submitted", a->id);
		st = GW_SVC_FORBIDDEN;
		goto out;
	}
	if (gw_status_parse(d.status, &from) != 0 ||
	    gw_lifecycle_step(from, in.action, d.pending != NULL,
	    &step) != 0) {
		gw_svc_seterr(e, GW_SVC_CONFLICT, "illegal-transition",
		    "action", "cannot %s a dossier that is %s",
		    gw_action_name(in.action), d.status);
		st = GW_SVC_CONFLICT;
		goto out;
	}
	if (d.pending != NULL && (pending = json_loads(d.pending, 0,
	    NULL)) == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	if (body_info_load(d.body, &b) != 0) {
		gw_svc_seterr(e, GW_SVC_INTERNAL, "store-error", NULL,
		    "stored dossier %s does not decode", d.id);
		st = GW_SVC_INTERNAL;
		goto out;
	}
	if (step.decision != NULL && s->signer == NULL) {
		gw_svc_seterr(e, GW_SVC_INTERNAL, "signer-missing", NULL,
		    "no decision signer is configured");
		st = GW_SVC_INTERNAL;
		goto out;
	}
	if (in.action == GW_ACT_APPROVE) {
		cj = json_loads(d.checks, 0, NULL);
		verdict = json_string_value(json_object_get(cj, "verdict"));
		rc = s->policy->approval_requires_pass && (verdict == NULL ||
		    strcmp(verdict, "fail") == 0);
		json_decref(cj);
		if (rc) {
			gw_svc_seterr(e, GW_SVC_CONFLICT, "checks-failed",
			    NULL, "the automated checks found errors; "
			    "request information or reject");
			st = GW_SVC_CONFLICT;
			goto out;
		}
	}
	if (step.pending) {
		if ((st = make_pending(a, &in, &b, now, &newpending, e)) !=
		    GW_SVC_OK)
			goto out;
	} else if (in.action == GW_ACT_APPROVE) {
		if (strcmp(json_string_value(json_object_get(pending,
		    "reviewer")), a->id) == 0) {
			gw_svc_seterr(e, GW_SVC_CONFLICT, "four-eyes", NULL,
			    "the second approval must come from another "
			    "reviewer than %s", a->id);
			st = GW_SVC_CONFLICT;
			goto out;
		}
		if (!same_scope(pending, &in, now, &field)) {
			gw_svc_seterr(e, GW_SVC_CONFLICT, "scope-mismatch",
			    field, "'%s' differs from the pending approval; "
			    "request information to start over", field);
			st = GW_SVC_CONFLICT;
			goto out;
		}
		if ((st = approve(s, &d, &b, pending, a, &in, now, &ro, e)) !=
		    GW_SVC_OK)
			goto out;
		rec_changed = 1;
	} else if (step.decision != NULL) {
		if (from == GW_ST_APPROVED || from == GW_ST_SUSPENDED) {
			rc = st_recognition_by_dossier(tx, d.id, &ro.rec);
			if (rc != ST_OK) {
				st = gw_svc_st_err(e, tx, "recognition");
				goto out;
			}
			if (in.action == GW_ACT_REINSTATE &&
			    ro.rec.not_after <= now) {
				gw_svc_seterr(e, GW_SVC_CONFLICT, "expired",
				    NULL, "the recognition's validity has "
				    "ended; it cannot be reinstated");
				st = GW_SVC_CONFLICT;
				goto out;
			}
			rec_changed = 1;
		}
		if ((st = other_decision(s, &d, &b, step.decision, step.to, a,
		    &in, now, &ro, e)) != GW_SVC_OK)
			goto out;
	}
	/* The writes, all in this transaction. */
	free(d.status);
	d.status = strdup(gw_status_name(step.to));
	free(d.pending);
	d.pending = newpending;
	newpending = NULL;
	d.updated = now;
	det = gw_svc_dump(json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:b}",
	    "from", gw_status_name(from), "to", gw_status_name(step.to),
	    "comment", in.comment, "decision", ro.dec.id, "recognition",
	    ro.rec.id, "pending_approval", step.pending));
	if (d.status == NULL || det == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	memset(&rv, 0, sizeof(rv));
	rv.dossier_id = d.id;
	rv.time = now;
	rv.actor = (char *)a->id;
	rv.action = (char *)gw_action_name(in.action);
	rv.comment = (char *)in.comment;
	rv.status_after = d.status;
	if (st_dossier_update(tx, &d, a->id) != ST_OK ||
	    st_review_add(tx, &rv) != ST_OK) {
		st = gw_svc_st_err(e, tx, "review");
		goto out;
	}
	if (ro.rec_new && st_recognition_insert(tx, &ro.rec) != ST_OK) {
		st = gw_svc_st_err(e, tx, "recognition");
		goto out;
	}
	if (ro.dec.id != NULL) {
		ro.dec.dossier_id = d.id;
		ro.dec.tenant = d.tenant;
		ro.dec.time = now;
		if (st_decision_insert(tx, &ro.dec) != ST_OK) {
			st = gw_svc_st_err(e, tx, "decision");
			goto out;
		}
	}
	if (!ro.rec_new && ro.rec.id != NULL &&
	    st_recognition_update(tx, &ro.rec) != ST_OK) {
		st = gw_svc_st_err(e, tx, "recognition");
		goto out;
	}
	if (st_audit_append(tx, now, a->id, gw_action_name(in.action), d.id,
	    det, NULL) != ST_OK) {
		st = gw_svc_st_err(e, tx, "audit");
		goto out;
	}
	*out = json_pack("{s:s, s:s, s:s, s:b}", "dossier", d.id, "action",
	    gw_action_name(in.action), "status", d.status,
	    "pending_approval", d.pending != NULL);
	if (*out == NULL) {
		st = gw_svc_oom(e);
		goto out;
	}
	json_object_set_new(*out, "decision", ro.dec.id ? json_pack(
	    "{s:s, s:s}", "id", ro.dec.id, "kind", ro.dec.kind) :
	    json_null());
	json_object_set_new(*out, "recognition", ro.rec.id ?
	    json_string(ro.rec.id) : json_null());
	st = gw_svc_commit(tx, out, e);
	tx = NULL;
	if (st != GW_SVC_OK)
		goto out;
	if (rec_changed)
		gw_svc_rcache_invalidate(s);
	st = GW_SVC_OK;
 out:
	st_rollback(tx);
	st_dossier_clear(&d);
	review_out_clear(&ro);
	body_info_clear(&b);
	json_decref(pending);
	json_decref(root);
	free(newpending);
	free(det);
	return st;
}

enum gw_svc_status
gw_svc_expire(struct gw_svc *s, time_t now, size_t *nout,
    struct gw_svc_err *e)
{
	static const char *const live[] = { "approved", "suspended" };
	struct st_recognition	*v = NULL;
	struct st_dossier	 d;
	struct st_tx		*tx = NULL;
	enum gw_svc_status	 st;
	char			*det;
	size_t			 n = 0, i, k, count = 0;

	*nout = 0;
	if ((st = gw_svc_begin(s, 1, &tx, e)) != GW_SVC_OK)
		return st;
	for (k = 0; k < 2; k++) {
		if (st_recognition_list(tx, live[k], &v, &n) != ST_OK) {
			st = gw_svc_st_err(e, tx, "recognitions");
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (v[i].not_after > now)
				continue;
			memset(&d, 0, sizeof(d));
			if (st_dossier_get(tx, v[i].dossier_id, &d) != ST_OK) {
				st = gw_svc_st_err(e, tx, "dossier");
				goto out;
			}
			free(d.status);
			d.status = strdup("expired");
			free(v[i].status);
			v[i].status = strdup("expired");
			d.updated = now;
			det = gw_svc_dump(json_pack("{s:s, s:s, s:s}", "from",
			    live[k], "to", "expired", "recognition", v[i].id));
			if (d.status == NULL || v[i].status == NULL ||
			    det == NULL || st_dossier_update(tx, &d,
			    "system") != ST_OK ||
			    st_recognition_update(tx, &v[i]) != ST_OK ||
			    st_audit_append(tx, now, "system", "expire", d.id,
			    det, NULL) != ST_OK) {
				free(det);
				st_dossier_clear(&d);
				st = gw_svc_st_err(e, tx, "expire");
				goto out;
			}
			free(det);
			st_dossier_clear(&d);
			count++;
		}
		st_recognitions_free(v, n);
		v = NULL;
		n = 0;
	}
	st = gw_svc_commit(tx, NULL, e);
	tx = NULL;
	if (st != GW_SVC_OK)
		goto out;
	if (count > 0)
		gw_svc_rcache_invalidate(s);
	*nout = count;
	st = GW_SVC_OK;
 out:
	st_recognitions_free(v, n);
	st_rollback(tx);
	return st;
}
