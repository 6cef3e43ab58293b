/*
 * gw_config.c: the configuration file of `xbrg serve`, JSON.
 *
 * {"listen": {"address": "127.0.0.1", "port": 8443},
 *  "plain_http": false,
 *  "tls": {"cert": "tls.pem", "key": "tls.key", "client_ca": "ca.pem",
 *          "crls": ["ca.crl"]},
 *  "users": [{"name": "reviewer-a", "sha256": "<64 hex>",
 *             "role": "reviewer"},
 *            {"name": "submitter-a", "subject": "CN=...,O=...",
 *             "role": "submitter", "tenant": "ca-a"}],
 *  "store": "gw.db", "policy": "policy.json", "profile_dir": "profiles",
 *  "trust_list_cache": "tl-cache",
 *  "signer": {"key": "signer.key", "cert": "signer.pem", "alg": "sm2"},
 *  "revocation_fetch": true,
 *  "revocation_fetch_private": false,   (true: may fetch CRLs/OCSP from
 *                                        loopback and private addresses)
 *  "limits": {"max_body": 2097152, "connection_timeout": 30,
 *             "max_connections": 512, "connection_memory": 32768,
 *             "threads": 0}}
 *
 * Unknown keys are errors naming the key; relative paths are taken from the
 * folder of the file.  Duplicate keys are errors.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_http.h"

int
gw_addr_is_loopback(const char *addr)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcmp(addr, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
gw_read_text(const char *path, size_t cap, char **out, char *err,
    size_t errlen)
{
	unsigned char	*buf = NULL, *t;
	size_t		 len;

	if (val_read_file(path, cap, &buf, &len, err, errlen) != 0)
		return -1;
	if ((t = realloc(buf, len + 1)) == NULL) {
		free(buf);
		seterr(err, errlen, "%s: out of memory", path);
		return -1;
	}
	t[len] = '\0';
	*out = (char *)t;
	return 0;
}

void
gw_config_free(struct gw_config *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	free(c->dir);
	free(c->address);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->client_ca);
	for (i = 0; i < c->ncrls; i++)
		free(c->crls[i]);
	free(c->crls);
	for (i = 0; i < c->nusers; i++) {
		free(c->users[i].name);
		free(c->users[i].sha256);
		free(c->users[i].subject);
		free(c->users[i].tenant);
	}
	free(c->users);
	free(c->store);
	free(c->policy);
	free(c->profile_dir);
	free(c->tl_cache);
	free(c->signer_key);
	free(c->signer_cert);
	free(c->signer_alg);
	free(c);
}

/* "dir/name" in a new string, or NULL. */
static char *
join(const char *dir, const char *name)
{
	size_t	 n = strlen(dir) + strlen(name) + 2;
	char	*p;

	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Checks that o has only the listed keys. */
static int
only_keys(json_t *o, const char *where, const char *const *keys,
    char *err, size_t errlen)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			seterr(err, errlen, "%s: unknown key '%s'", where, k);
			return -1;
		}
	}
	return 0;
}

/* Copies a string member, resolving it as a path when dir is not NULL.
 * Absent: *out stays NULL. */
static int
get_str(json_t *o, const char *key, const char *where, const char *dir,
    char **out, char *err, size_t errlen)
{
	json_t		*v;
	const char	*s;

	if ((v = json_object_get(o, key)) == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || (s = json_string_value(v))[0] == '\0') {
		seterr(err, errlen, "%s.%s: must be a non-empty string",
		    where, key);
		return -1;
	}
	if (dir != NULL && s[0] != '/')
		*out = join(dir, s);
	else
		*out = strdup(s);
	if (*out == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
get_uint(json_t *o, const char *key, const char *where, unsigned long max,
    unsigned long *out, char *err, size_t errlen)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (unsigned long long)json_integer_value(v) > max) {
		seterr(err, errlen, "%s.%s: must be an integer from 0 to %lu",
		    where, key, max);
		return -1;
	}
	*out = (unsigned long)json_integer_value(v);
	return 0;
}

static int
is_hex64(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[64] == '\0';
}

static int
load_users(struct gw_config *c, json_t *arr, char *err, size_t errlen)
{
	static const char *const keys[] = { "name", "sha256", "subject",
	    "role", "tenant", NULL };
	struct gw_user	*u;
	json_t		*o;
	char		*role, where[48];
	size_t		 i, j, k;

	if (!json_is_array(arr) || json_array_size(arr) > GW_MAX_USERS) {
		seterr(err, errlen, "users: must be an array of at most %d",
		    GW_MAX_USERS);
		return -1;
	}
	c->nusers = json_array_size(arr);
	if (c->nusers > 0 &&
	    (c->users = calloc(c->nusers, sizeof(*c->users))) == NULL) {
		c->nusers = 0;
		seterr(err, errlen, "out of memory");
		return -1;
	}
	json_array_foreach(arr, i, o) {
		u = &c->users[i];
		snprintf(where, sizeof(where), "users[%zu]", i);
		role = NULL;
		if (!json_is_object(o)) {
			seterr(err, errlen, "%s: must be an object", where);
			return -1;
		}
		if (only_keys(o, where, keys, err, errlen) != 0 ||
		    get_str(o, "name", where, NULL, &u->name, err,
		    errlen) != 0 ||
		    get_str(o, "sha256", where, NULL, &u->sha256, err,
		    errlen) != 0 ||
		    get_str(o, "subject", where, NULL, &u->subject, err,
		    errlen) != 0 ||
		    get_str(o, "tenant", where, NULL, &u->tenant, err,
		    errlen) != 0 ||
		    get_str(o, "role", where, NULL, &role, err, errlen) != 0)
			goto fail;
		if (u->name == NULL) {
			seterr(err, errlen, "%s.name: missing", where);
			goto fail;
		}
		if (role == NULL || gw_role_parse(role, &u->role) != 0 ||
		    u->role == GW_ROLE_PUBLIC) {
			seterr(err, errlen, "%s.role: must be submitter, "
			    "reviewer or admin", where);
			goto fail;
		}
		free(role);
		role = NULL;
		if ((u->sha256 == NULL) == (u->subject == NULL)) {
			seterr(err, errlen, "%s: give exactly one of sha256 "
			    "and subject", where);
			return -1;
		}
		if (u->sha256 != NULL) {
			if (!is_hex64(u->sha256)) {
				seterr(err, errlen, "%s.sha256: must be 64 "
				    "hex digits", where);
				return -1;
			}
			for (k = 0; k < 64; k++)
				u->sha256[k] = tolower((unsigned char)
				    u->sha256[k]);
		}
		if ((u->role == GW_ROLE_SUBMITTER) != (u->tenant != NULL)) {
			seterr(err, errlen, "%s.tenant: required for "
			    "submitters and only for them", where);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(c->users[j].name, u->name) == 0) {
				seterr(err, errlen, "%s.name: '%s' used twice",
				    where, u->name);
				return -1;
			}
	}
	return 0;
 fail:
	free(role);
	return -1;
}

static int
load_tls(struct gw_config *c, json_t *t, char *err, size_t errlen)
{
	static const char *const keys[] = { "cert", "key", "client_ca",
	    "crls", NULL };
	json_t		*crls, *v;
	char		 where[32];
	size_t		 i;

	if (!json_is_object(t)) {
		seterr(err, errlen, "tls: must be an object");
		return -1;
	}
	if (only_keys(t, "tls", keys, err, errlen) != 0 ||
	    get_str(t, "cert", "tls", c->dir, &c->tls_cert, err,
	    errlen) != 0 ||
	    get_str(t, "key", "tls", c->dir, &c->tls_key, err, errlen) != 0 ||
	    get_str(t, "client_ca", "tls", c->dir, &c->client_ca, err,
	    errlen) != 0)
		return -1;
	if (c->tls_cert == NULL || c->tls_key == NULL) {
		seterr(err, errlen, "tls: cert and key are required");
		return -1;
	}
	/* Client certificates are checked against their CA's CRLs: without
	 * any, a revoked certificate would pass unnoticed. */
	if ((crls = json_object_get(t, "crls")) == NULL ||
	    (json_is_array(crls) && json_array_size(crls) == 0)) {
		if (c->client_ca == NULL)
			return 0;
		seterr(err, errlen, "tls.crls: required with client_ca (the "
		    "client CA's CRLs)");
		return -1;
	}
	if (!json_is_array(crls) || json_array_size(crls) > GW_MAX_CRL_FILES) {
		seterr(err, errlen, "tls.crls: must be an array of at most %d "
		    "file names", GW_MAX_CRL_FILES);
		return -1;
	}
	if (json_array_size(crls) > 0 && (c->crls = calloc(
	    json_array_size(crls), sizeof(*c->crls))) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	json_array_foreach(crls, i, v) {
		snprintf(where, sizeof(where), "tls.crls[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			seterr(err, errlen, "%s: must be a file name", where);
			return -1;
		}
		if (json_string_value(v)[0] == '/')
			c->crls[i] = strdup(json_string_value(v));
		else
			c->crls[i] = join(c->dir, json_string_value(v));
		if (c->crls[i] == NULL) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
		c->ncrls++;
	}
	return 0;
}

static int
load_limits(struct gw_config *c, json_t *l, char *err, size_t errlen)
{
	static const char *const keys[] = { "max_body", "connection_timeout",
	    "max_connections", "connection_memory", "threads", NULL };
	unsigned long	 v;

	if (!json_is_object(l)) {
		seterr(err, errlen, "limits: must be an object");
		return -1;
	}
	if (only_keys(l, "limits", keys, err, errlen) != 0)
		return -1;
	v = c->max_body;
	if (get_uint(l, "max_body", "limits", GW_MAX_BODY_HARD, &v, err,
	    errlen) != 0)
		return -1;
	c->max_body = v;
	v = c->conn_timeout;
	if (get_uint(l, "connection_timeout", "limits", 3600, &v, err,
	    errlen) != 0)
		return -1;
	c->conn_timeout = v;
	v = c->max_conn;
	if (get_uint(l, "max_connections", "limits", 65536, &v, err,
	    errlen) != 0)
		return -1;
	c->max_conn = v;
	v = c->conn_memory;
	if (get_uint(l, "connection_memory", "limits", 1024 * 1024, &v, err,
	    errlen) != 0)
		return -1;
	if (v < 4096) {
		seterr(err, errlen, "limits.connection_memory: at least 4096");
		return -1;
	}
	c->conn_memory = v;
	v = c->threads;
	if (get_uint(l, "threads", "limits", GW_MAX_THREADS, &v, err,
	    errlen) != 0)
		return -1;
	c->threads = v;
	return 0;
}

struct gw_config *
gw_config_load(const char *path, char *err, size_t errlen)
{
	static const char *const keys[] = { "listen", "plain_http", "tls",
	    "users", "store", "policy", "profile_dir", "trust_list_cache",
	    "signer", "limits", "revocation_fetch",
	    "revocation_fetch_private", NULL };
	static const char *const lkeys[] = { "address", "port", NULL };
	static const char *const skeys[] = { "key", "cert", "alg", NULL };
	struct gw_config	*c = NULL, *rc = NULL;
	unsigned char		*buf = NULL;
	size_t			 len;
	json_t			*root = NULL, *v;
	json_error_t		 je;
	char			*tmp = NULL, ebuf[256];
	unsigned long		 port;

	if (val_read_file(path, GW_MAX_CONFIG_BYTES, &buf, &len, ebuf,
	    sizeof(ebuf)) != 0) {
		seterr(err, errlen, "%s", ebuf);
		goto out;
	}
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		seterr(err, errlen, "%s:%d:%d: %s", path, je.line, je.column,
		    je.text);
		goto out;
	}
	if (!json_is_object(root)) {
		seterr(err, errlen, "%s: must be a JSON object", path);
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (tmp = strdup(path)) == NULL ||
	    (c->dir = strdup(dirname(tmp))) == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	c->max_body = GW_MAX_DOSSIER_BYTES;
	c->conn_timeout = GW_DEF_CONN_TIMEOUT;
	c->max_conn = GW_DEF_MAX_CONN;
	c->conn_memory = GW_DEF_CONN_MEMORY;
	c->revocation_fetch = 1;
	if (only_keys(root, "config", keys, err, errlen) != 0)
		goto out;
	if ((v = json_object_get(root, "listen")) != NULL) {
		if (!json_is_object(v)) {
			seterr(err, errlen, "listen: must be an object");
			goto out;
		}
		port = 0;
		if (only_keys(v, "listen", lkeys, err, errlen) != 0 ||
		    get_str(v, "address", "listen", NULL, &c->address, err,
		    errlen) != 0 ||
		    get_uint(v, "port", "listen", 65535, &port, err,
		    errlen) != 0)
			goto out;
		c->port = port;
	}
	if (c->address == NULL && (c->address = strdup("127.0.0.1")) == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	if ((v = json_object_get(root, "plain_http")) != NULL) {
		if (!json_is_boolean(v)) {
			seterr(err, errlen, "plain_http: must be true or "
			    "false");
			goto out;
		}
		c->plain_http = json_is_true(v);
	}
	if ((v = json_object_get(root, "revocation_fetch")) != NULL) {
		if (!json_is_boolean(v)) {
			seterr(err, errlen, "revocation_fetch: must be true "
			    "or false");
			goto out;
		}
		c->revocation_fetch = json_is_true(v);
	}
	/* Off unless asked for: a relying party's request may carry a
	 * self-signed root whose certificates point anywhere (SSRF). */
	if ((v = json_object_get(root, "revocation_fetch_private")) != NULL) {
		if (!json_is_boolean(v)) {
			seterr(err, errlen, "revocation_fetch_private: must "
			    "be true or false");
			goto out;
		}
		c->revocation_private = json_is_true(v);
	}
	if ((v = json_object_get(root, "tls")) != NULL &&
	    load_tls(c, v, err, errlen) != 0)
		goto out;
	if (c->plain_http && c->tls_cert != NULL) {
		seterr(err, errlen, "plain_http and tls exclude each other");
		goto out;
	}
	if (!c->plain_http && c->tls_cert == NULL) {
		seterr(err, errlen, "tls: required (or \"plain_http\": true "
		    "for a loopback-only demo)");
		goto out;
	}
	if (c->plain_http && !gw_addr_is_loopback(c->address)) {
		seterr(err, errlen, "plain_http: only on a loopback address, "
		    "not '%s'", c->address);
		goto out;
	}
	if ((v = json_object_get(root, "users")) != NULL &&
	    load_users(c, v, err, errlen) != 0)
		goto out;
	if (get_str(root, "store", "config", c->dir, &c->store, err,
	    errlen) != 0 ||
	    get_str(root, "policy", "config", c->dir, &c->policy, err,
	    errlen) != 0 ||
	    get_str(root, "profile_dir", "config", c->dir, &c->profile_dir,
	    err, errlen) != 0 ||
	    get_str(root, "trust_list_cache", "config", c->dir, &c->tl_cache,
	    err, errlen) != 0)
		goto out;
	if (c->store == NULL) {
		seterr(err, errlen, "store: required (an SQLite file name)");
		goto out;
	}
	if ((v = json_object_get(root, "signer")) != NULL) {
		if (!json_is_object(v) ||
		    only_keys(v, "signer", skeys, err, errlen) != 0 ||
		    get_str(v, "key", "signer", c->dir, &c->signer_key, err,
		    errlen) != 0 ||
		    get_str(v, "cert", "signer", c->dir, &c->signer_cert, err,
		    errlen) != 0 ||
		    get_str(v, "alg", "signer", NULL, &c->signer_alg, err,
		    errlen) != 0) {
			if (!json_is_object(v))
				seterr(err, errlen, "signer: must be an "
				    "object");
			goto out;
		}
		if ((c->signer_key == NULL) != (c->signer_cert == NULL)) {
			seterr(err, errlen, "signer: key and cert go "
			    "together");
			goto out;
		}
		if (c->signer_alg != NULL &&
		    strcmp(c->signer_alg, "sm2") != 0 &&
		    strcmp(c->signer_alg, "ecdsa") != 0) {
			seterr(err, errlen, "signer.alg: sm2 or ecdsa, not "
			    "'%s'", c->signer_alg);
			goto out;
		}
	}
	if ((v = json_object_get(root, "limits")) != NULL &&
	    load_limits(c, v, err, errlen) != 0)
		goto out;
	rc = c;
	c = NULL;
 out:
	gw_config_free(c);
	json_decref(root);
	free(buf);
	free(tmp);
	return rc;
}
