/*
 * bench_store.c: the service layer's costs, one thread, on a store in a
 * temporary folder: dossier submission (decode + automated checks +
 * commit), a full four-eyes approval (two commits, one SM2-signed
 * decision), the relying-party lookup on a three-certificate chain with
 * 1 and 200 recognitions, and audit-chain verification.
 * Usage: bench_store FIXTURES SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "gw.h"
#include "gw_svc.h"
#include "st.h"

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
slurp(const char *fx, const char *rel)
{
	char		 path[1024], err[256];
	unsigned char	*buf;
	size_t		 n;

	snprintf(path, sizeof(path), "%s/%s", fx, rel);
	if (val_read_file(path, 8 << 20, &buf, &n, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_store: %s\n", err);
		exit(1);
	}
	buf = realloc(buf, n + 1);
	buf[n] = '\0';
	return (char *)buf;
}

static STACK_OF(X509) *
chain(const char *fx)
{
	static const char *const f[] = { "dossier/qesig.pem",
	    "dossier/ica.pem", "dossier/root.pem" };
	STACK_OF(X509)		*sk = sk_X509_new_null();
	struct val_certs	 cs;
	char			 path[1024], err[256];
	int			 i;

	for (i = 0; i < 3; i++) {
		memset(&cs, 0, sizeof(cs));
		snprintf(path, sizeof(path), "%s/%s", fx, f[i]);
		if (val_certs_load_file(path, &cs, err, sizeof(err)) != 0)
			exit(1);
		X509_up_ref(cs.v[0].x509);
		sk_X509_push(sk, cs.v[0].x509);
		val_certs_free(&cs);
	}
	return sk;
}

int
main(int argc, char **argv)
{
	static const char	 approve[] = "{\"action\":\"approve\"}";
	const struct gw_actor	 sub = { GW_ROLE_SUBMITTER, "submitter-a",
	    "ca-a" };
	const struct gw_actor	 ra = { GW_ROLE_REVIEWER, "reviewer-a", NULL };
	const struct gw_actor	 rb = { GW_ROLE_REVIEWER, "reviewer-b", NULL };
	struct gw_svc_conf	 c;
	struct gw_svc		*s;
	struct gw_signer	*signer;
	struct gw_svc_err	 e;
	STACK_OF(X509)		*sk;
	json_t			*o;
	char			 dir[] = "/tmp/xbrg-bench-store-XXXXXX";
	char			 db[256], k[1024], crt[1024], err[512];
	char			 id[GW_ID_MAX], cmd[512], *body;
	const char		*fx;
	double			 secs, t0, t;
	time_t			 T = 1767225600;
	long			 n, i, nsub, lk;

	if (argc != 3)
		return 2;
	fx = argv[1];
	secs = atof(argv[2]);
	xmlInitParser();
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/gw.db", dir);
	snprintf(k, sizeof(k), "%s/signer/sm2.key", fx);
	snprintf(crt, sizeof(crt), "%s/signer/sm2.pem", fx);
	if ((signer = gw_signer_load(k, crt, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.db_path = db;
	c.policy_path = "profiles/policy.json";
	c.profile_dir = "profiles";
	c.signer = signer;
	if ((s = gw_svc_open(&c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	body = slurp(fx, "dossier/good.json");

	/* Decoding and the automated checks alone (no store). */
	{
		struct gw_check_in	 in;
		struct gw_dossier	*d;
		struct val_report	 rep;
		struct val_profile	*prof;

		if ((prof = val_profile_load("intl", "profiles", err,
		    sizeof(err))) == NULL)
			return 1;
		memset(&in, 0, sizeof(in));
		in.policy = gw_svc_policy(s);
		in.profiles = &prof;
		in.nprofiles = 1;
		t0 = now_s();
		for (n = 0; (t = now_s()) - t0 < secs; n++) {
			if (gw_dossier_decode(body, strlen(body),
			    gw_svc_policy(s), &d, &e) != GW_SVC_OK)
				return 1;
			val_report_init(&rep);
			gw_dossier_check(d, &in, T, &rep);
			val_report_clear(&rep);
			gw_dossier_free(d);
		}
		printf("store: decode + checks %.0f dossiers/s (4 "
		    "certificates: 3 chains, 4 lints)\n", n / (t - t0));
		val_profile_free(prof);
	}
	/* A bare write transaction: one audit entry, one fsync. */
	{
		struct st_db	*sdb;
		struct st_tx	*tx;
		char		 p2[300];

		snprintf(p2, sizeof(p2), "%s/bare.db", dir);
		if ((sdb = st_open(p2, 0, err, sizeof(err))) == NULL)
			return 1;
		t0 = now_s();
		for (n = 0; (t = now_s()) - t0 < secs; n++) {
			if ((tx = st_begin(sdb, 1, err, sizeof(err))) == NULL ||
			    st_audit_append(tx, T, "a", "b", "c", "{}",
			    NULL) != ST_OK || st_commit(tx) != ST_OK)
				return 1;
		}
		printf("store: bare commit (WAL, synchronous=FULL) %.0f/s, "
		    "%.2f ms each\n", n / (t - t0), (t - t0) * 1000 / n);
		st_close(sdb);
	}
	/* Submissions (each: decode, chain + lint checks, one commit). */
	t0 = now_s();
	for (n = 0; (t = now_s()) - t0 < secs; n++) {
		if (gw_svc_dossier_submit(s, &sub, body, strlen(body), T, &o,
		    &e) != GW_SVC_OK) {
			fprintf(stderr, "submit: %s\n", e.message);
			return 1;
		}
		json_decref(o);
	}
	nsub = n;
	printf("store: submit %.0f dossiers/s (%zu bytes each, checks and "
	    "fsync included)\n", n / (t - t0), strlen(body));

	/* Four-eyes approvals: two commits and one SM2 decision each. */
	t0 = now_s();
	for (n = 0; (t = now_s()) - t0 < secs || n == 0; n++) {
		if (gw_svc_dossier_submit(s, &sub, body, strlen(body), T, &o,
		    &e) != GW_SVC_OK)
			return 1;
		snprintf(id, sizeof(id), "%s", json_string_value(
		    json_object_get(o, "id")));
		json_decref(o);
		if (gw_svc_review(s, &ra, id, approve, strlen(approve), T + 1,
		    &o, &e) != GW_SVC_OK)
			return 1;
		json_decref(o);
		if (gw_svc_review(s, &rb, id, approve, strlen(approve), T + 2,
		    &o, &e) != GW_SVC_OK) {
			fprintf(stderr, "approve: %s\n", e.message);
			return 1;
		}
		json_decref(o);
	}
	printf("store: submit + two approvals + SM2 decision: %.1f ms per "
	    "dossier (%ld recognitions now)\n", (t - t0) * 1000 / n, n);

	/* The lookup, hot path. */
	sk = chain(fx);
	for (lk = 0; lk < 2; lk++) {
		t0 = now_s();
		for (i = 0; (t = now_s()) - t0 < secs; i++) {
			if (gw_svc_recognized(s, sk, "e-invoicing", T + 10, &o,
			    &e) != GW_SVC_OK) {
				fprintf(stderr, "lookup: %s\n", e.message);
				return 1;
			}
			json_decref(o);
		}
		printf("store: lookup %.0f/s with %ld recognitions "
		    "(3-certificate chain)\n", i / (t - t0), n);
		/* Make it about 200 recognitions for the second round. */
		for (; lk == 0 && n < 200; n++) {
			if (gw_svc_dossier_submit(s, &sub, body, strlen(body),
			    T, &o, &e) != GW_SVC_OK)
				return 1;
			snprintf(id, sizeof(id), "%s", json_string_value(
			    json_object_get(o, "id")));
			json_decref(o);
			if (gw_svc_review(s, &ra, id, approve, strlen(approve),
			    T + 1, &o, &e) != GW_SVC_OK)
				return 1;
			json_decref(o);
			if (gw_svc_review(s, &rb, id, approve, strlen(approve),
			    T + 2, &o, &e) != GW_SVC_OK)
				return 1;
			json_decref(o);
		}
	}
	sk_X509_pop_free(sk, X509_free);

	/* The audit chain. */
	{
		const struct gw_actor	 adm = { GW_ROLE_ADMIN, "admin", NULL };
		long long		 ent;

		t0 = now_s();
		if (gw_svc_audit_verify(s, &adm, &o, &e) != GW_SVC_OK)
			return 1;
		t = now_s();
		ent = json_integer_value(json_object_get(o, "entries"));
		json_decref(o);
		printf("store: audit verify %lld entries in %.1f ms (%.0f "
		    "entries/s)\n", ent, (t - t0) * 1000, ent / (t - t0));
	}
	(void)nsub;
	gw_svc_close(s);
	gw_signer_free(signer);
	free(body);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
