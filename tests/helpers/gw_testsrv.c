/*
 * gw_testsrv.c: start `$XBRG serve` on port 0 and talk to it with libcurl.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "gw_testsrv.h"

char *
gw_test_read(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	fclose(fp);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static const char *
pki_dir(char *buf, size_t sz)
{
	const char	*f = getenv("FIXTURES");
	char		 rel[PATH_MAX];

	if (f == NULL)
		return NULL;
	snprintf(rel, sizeof(rel), "%s/http", f);
	if (realpath(rel, buf) == NULL || strlen(buf) >= sz)
		return NULL;
	return buf;
}

int
gw_testsrv_available(void)
{
	char		 pki[PATH_MAX], p[PATH_MAX + 16];
	const char	*x = getenv("XBRG");

	if (x == NULL || access(x, X_OK) != 0 ||
	    pki_dir(pki, sizeof(pki)) == NULL)
		return 0;
	snprintf(p, sizeof(p), "%s/ca.pem", pki);
	return access(p, R_OK) == 0;
}

static int
read_sha(const char *pki, const char *who, char out[65])
{
	char	 p[PATH_MAX];
	char	*s;

	snprintf(p, sizeof(p), "%s/%s.sha256", pki, who);
	if ((s = gw_test_read(p, NULL)) == NULL || strlen(s) < 64) {
		free(s);
		return -1;
	}
	memcpy(out, s, 64);
	out[64] = '\0';
	free(s);
	return 0;
}

static int
write_config(struct gw_testsrv *t, const struct gw_testsrv_opts *o)
{
	static const struct {
		const char	*name;
		const char	*role;
		const char	*tenant;
	} users[] = {
		{ "submitter-a", "submitter", "ca-a" },
		{ "submitter-b", "submitter", "ca-b" },
		{ "reviewer-a", "reviewer", NULL },
		{ "reviewer-b", "reviewer", NULL },
		{ "admin", "admin", NULL },
		{ "revoked-reviewer", "reviewer", NULL },
	};
	FILE		*fp;
	char		 sha[65];
	const char	*signer = o->signer ? o->signer : "sm2";
	size_t		 i;

	snprintf(t->config, sizeof(t->config), "%s/config.json", t->dir);
	if ((fp = fopen(t->config, "w")) == NULL)
		return -1;
	fprintf(fp, "{\"listen\": {\"address\": \"127.0.0.1\", \"port\": 0},\n");
	if (o->plain)
		fprintf(fp, " \"plain_http\": true,\n");
	else if (o->own_crl)
		fprintf(fp, " \"tls\": {\"cert\": \"%s/tls.pem\", \"key\": "
		    "\"%s/tls.key\", \"client_ca\": \"%s/ca.pem\", \"crls\": "
		    "[\"client-crl.pem\"]},\n", t->pki, t->pki, t->pki);
	else
		fprintf(fp, " \"tls\": {\"cert\": \"%s/tls.pem\", \"key\": "
		    "\"%s/tls.key\", \"client_ca\": \"%s/ca.pem\", \"crls\": "
		    "[\"%s/ca.crl.pem\"]},\n", t->pki, t->pki, t->pki, t->pki);
	fprintf(fp, " \"users\": [\n");
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (read_sha(t->pki, users[i].name, sha) != 0) {
			fclose(fp);
			return -1;
		}
		fprintf(fp, "  {\"name\": \"%s\", \"sha256\": \"%s\", "
		    "\"role\": \"%s\"", users[i].name, sha, users[i].role);
		if (users[i].tenant != NULL)
			fprintf(fp, ", \"tenant\": \"%s\"", users[i].tenant);
		fprintf(fp, "},\n");
	}
	/* By subject: a look-alike from another CA must still be refused. */
	fprintf(fp, "  {\"name\": \"reviewer-a-by-subject\", \"subject\": "
	    "\"CN=reviewer-a,O=xbrg demo,C=CN\", \"role\": \"reviewer\"}],\n");
	fprintf(fp, " \"store\": \"gw.db\",\n");
	fprintf(fp, " \"signer\": {\"key\": \"%s/signer-%s.key\", \"cert\": "
	    "\"%s/signer-%s.pem\", \"alg\": \"%s\"},\n", t->pki, signer,
	    t->pki, signer, signer);
	if (o->extra != NULL)
		fprintf(fp, " %s,\n", o->extra);
	fprintf(fp, " \"revocation_fetch\": false,\n");
	fprintf(fp, " \"limits\": {\"connection_timeout\": %u, \"threads\": 2",
	    o->conn_timeout ? o->conn_timeout : 5);
	if (o->max_body)
		fprintf(fp, ", \"max_body\": %zu", o->max_body);
	fprintf(fp, "}}\n");
	return fclose(fp) == 0 ? 0 : -1;
}

static int
spawn(struct gw_testsrv *t)
{
	int		 out[2], logfd;
	pid_t		 pid;
	char		 line[512];
	size_t		 len = 0;
	ssize_t		 n;
	struct pollfd	 pfd;
	const char	*xbrg = getenv("XBRG"), *p;
	time_t		 deadline = time(NULL) + 20;

	if (pipe(out) != 0)
		return -1;
	if ((logfd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		close(logfd);
		execl(xbrg, xbrg, "serve", "--config", t->config, "--port",
		    "0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(logfd);
	t->pid = pid;
	pfd.fd = out[0];
	pfd.events = POLLIN;
	while (len < sizeof(line) - 1 && memchr(line, '\n', len) == NULL) {
		if (time(NULL) > deadline || poll(&pfd, 1, 1000) < 0)
			break;
		if (pfd.revents == 0)
			continue;
		if ((n = read(out[0], line + len, sizeof(line) - 1 - len)) <= 0)
			break;
		len += n;
	}
	close(out[0]);
	line[len] = '\0';
	if ((p = strrchr(line, ':')) == NULL ||
	    strstr(line, "listening on") == NULL) {
		fprintf(stderr, "gw_testsrv: server did not start; log %s\n",
		    t->log);
		gw_testsrv_kill9(t);
		return -1;
	}
	t->port = (unsigned)strtoul(p + 1, NULL, 10);
	snprintf(t->base, sizeof(t->base), "%s://127.0.0.1:%u",
	    t->plain ? "http" : "https", t->port);
	return 0;
}

int
gw_testsrv_start(struct gw_testsrv *t, const struct gw_testsrv_opts *o)
{
	struct gw_testsrv_opts	 def;

	memset(t, 0, sizeof(*t));
	if (o == NULL) {
		memset(&def, 0, sizeof(def));
		o = &def;
	}
	t->plain = o->plain;
	if (pki_dir(t->pki, sizeof(t->pki)) == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/xbrg-http-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->log, sizeof(t->log), "%s/server.log", t->dir);
	if (o->own_crl) {
		char	 cmd[1200];

		snprintf(cmd, sizeof(cmd), "cp '%s/ca.crl.pem' "
		    "'%s/client-crl.pem'", t->pki, t->dir);
		if (system(cmd) != 0)
			return -1;
	}
	if (write_config(t, o) != 0)
		return -1;
	return spawn(t);
}

int
gw_testsrv_restart(struct gw_testsrv *t)
{
	return spawn(t);
}

int
gw_testsrv_stop(struct gw_testsrv *t)
{
	int	 st = -1, i;

	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(t->pid, &st, WNOHANG) == t->pid)
			break;
		usleep(50000);
	}
	if (i == 200) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &st, 0);
		st = -1;
	}
	t->pid = 0;
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

void
gw_testsrv_kill9(struct gw_testsrv *t)
{
	if (t->pid <= 0)
		return;
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	t->pid = 0;
}

void
gw_testsrv_cleanup(struct gw_testsrv *t)
{
	char	 cmd[400];

	if (t->dir[0] == '\0' || strncmp(t->dir, "/tmp/xbrg-http-", 15) != 0)
		return;
	if (getenv("XBRG_KEEP_TMP") != NULL) {
		fprintf(stderr, "gw_testsrv: kept %s\n", t->dir);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	(void)!system(cmd);
}

int
gw_testsrv_log_count(const struct gw_testsrv *t, const char *needle)
{
	char	*s, *p;
	int	 n = 0;

	if ((s = gw_test_read(t->log, NULL)) == NULL)
		return 0;
	for (p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(s);
	return n;
}

struct sink {
	char	*p;
	size_t	 len;
};

static size_t
on_body(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct sink	*s = ud;
	size_t		 n = sz * nm;
	char		*np;

	if ((np = realloc(s->p, s->len + n + 1)) == NULL)
		return 0;
	s->p = np;
	memcpy(s->p + s->len, ptr, n);
	s->len += n;
	s->p[s->len] = '\0';
	return n;
}

static void
hdr_value(const char *line, size_t n, const char *name, char *out,
    size_t outsz)
{
	size_t	 k = strlen(name), m;

	if (n <= k + 1 || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	m = n < outsz - 1 ? n : outsz - 1;
	memcpy(out, line, m);
	out[m] = '\0';
}

static size_t
on_header(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct gw_resp	*r = ud;
	size_t		 n = sz * nm;

	hdr_value(ptr, n, "Content-Type", r->ctype, sizeof(r->ctype));
	hdr_value(ptr, n, "X-Request-Id", r->reqid, sizeof(r->reqid));
	hdr_value(ptr, n, "Allow", r->allow, sizeof(r->allow));
	return n;
}

int
gw_http(const struct gw_testsrv *t, const char *who, const char *method,
    const char *path, const char *ctype, const void *body, size_t len,
    struct gw_resp *out)
{
	CURL			*c;
	struct curl_slist	*h = NULL;
	struct sink		 s = { NULL, 0 };
	char			 url[1200], cert[PATH_MAX], key[PATH_MAX];
	char			 ct[160], cafile[PATH_MAX];
	CURLcode		 cc;

	memset(out, 0, sizeof(*out));
	if ((c = curl_easy_init()) == NULL)
		return -1;
	snprintf(url, sizeof(url), "%s%s", t->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, out->error);
	if (!t->plain) {
		snprintf(cafile, sizeof(cafile), "%s/ca.pem", t->pki);
		curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
		if (who != NULL) {
			snprintf(cert, sizeof(cert), "%s/%s.pem", t->pki, who);
			snprintf(key, sizeof(key), "%s/%s.key", t->pki, who);
			curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
			curl_easy_setopt(c, CURLOPT_SSLKEY, key);
		}
	}
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	}
	if (ctype != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		h = curl_slist_append(h, ct);
	} else if (body != NULL)
		h = curl_slist_append(h, "Content-Type:");
	/* Small bodies go at once; big ones wait for 100 Continue, so that
	 * an early 413 arrives before the upload. */
	if (len <= 64 * 1024)
		h = curl_slist_append(h, "Expect:");
	else {
		/* libcurl asks on its own only above 1 MiB: without the
		 * header a refused 100 KiB upload races the server's close
		 * ("Send failure: Connection reset by peer"). */
		h = curl_slist_append(h, "Expect: 100-continue");
		curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 30000L);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	else if (out->error[0] == '\0')
		snprintf(out->error, sizeof(out->error), "%s",
		    curl_easy_strerror(cc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	out->body = s.p ? s.p : strdup("");
	out->len = s.len;
	if (cc == CURLE_OK && strncmp(out->ctype, "application/json", 16) == 0)
		out->json = json_loadb(out->body, out->len, 0, NULL);
	return cc == CURLE_OK ? 0 : -1;
}

int
gw_http_json(const struct gw_testsrv *t, const char *who, const char *method,
    const char *path, json_t *body, struct gw_resp *out)
{
	char	*s;
	int	 rc;

	if ((s = json_dumps(body, JSON_COMPACT)) == NULL)
		return -1;
	rc = gw_http(t, who, method, path, "application/json", s, strlen(s),
	    out);
	free(s);
	return rc;
}

void
gw_resp_free(struct gw_resp *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
gw_resp_error_code(const struct gw_resp *r)
{
	const char	*s;

	s = json_string_value(json_object_get(json_object_get(r->json,
	    "error"), "code"));
	return s != NULL ? s : "";
}
