/*
 * test_util.c: helpers shared by several test programs (test_util.h).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/x509v3.h>

#include "tl.h"
#include "test_util.h"

const char *
tu_shared(const char *sub)
{
	const char	*s = getenv("XBRG_SHARED");
	char		 path[4096];
	struct stat	 st;

	if (s != NULL && *s != '\0') {
		snprintf(path, sizeof(path), "%s/%s", s, sub);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return s;
	}
	print_message("skipped: $XBRG_SHARED/%s not found "
	    "(set XBRG_SHARED to the shared material folder)\n", sub);
	return NULL;
}

char *
tu_slurp(const char *dir, const char *rel, size_t max, size_t *len)
{
	char		 path[4096], err[256];
	unsigned char	*buf;
	size_t		 n;

	if (dir != NULL)
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	else
		snprintf(path, sizeof(path), "%s", rel);
	if (val_read_file(path, max, &buf, &n, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	buf = realloc(buf, n + 1);
	assert_non_null(buf);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return (char *)buf;
}

void
tu_codes(const struct val_report *rep, char *out, size_t outlen)
{
	const char	*v[64], *t;
	size_t		 i, j, n = 0;

	for (i = 0; i < rep->n && n < 64; i++)
		v[n++] = rep->items[i].rule->code;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", outlen - strlen(out) - 1);
		strncat(out, v[i], outlen - strlen(out) - 1);
	}
}

/* An unlinked temporary file open for reading and writing. */
static int
tmpfd(void)
{
	char	 path[] = "/tmp/xbrg-tu-XXXXXX";
	int	 fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

/* All that was written to fd, NUL-terminated. */
static char *
readback(int fd)
{
	struct stat	 st;
	char		*b;
	ssize_t		 n;

	assert_int_equal(fstat(fd, &st), 0);
	b = malloc((size_t)st.st_size + 1);
	assert_non_null(b);
	n = pread(fd, b, (size_t)st.st_size, 0);
	assert_int_equal(n, st.st_size);
	b[n] = '\0';
	close(fd);
	return b;
}

void
tu_run(struct tu_run *r, char *const argv[])
{
	pid_t	 pid;
	int	 st, fo, fe;

	fo = tmpfd();
	fe = tmpfd();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = readback(fo);
	r->err = readback(fe);
}

void
tu_run_free(struct tu_run *r)
{
	free(r->out);
	free(r->err);
}

X509 *
tu_cert(const X509_NAME *subj, const ASN1_OCTET_STRING *ski, EVP_PKEY *pub,
    long serial)
{
	EVP_PKEY	*k;
	X509		*x;

	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	x = X509_new();
	assert_true(k != NULL && x != NULL);
	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	ASN1_TIME_set(X509_getm_notBefore(x), 1700000000);
	ASN1_TIME_set(X509_getm_notAfter(x), 1900000000);
	assert_int_equal(X509_set_subject_name(x, subj), 1);
	assert_int_equal(X509_set_issuer_name(x, subj), 1);
	assert_int_equal(X509_set_pubkey(x, pub != NULL ? pub : k), 1);
	if (ski != NULL)
		assert_int_equal(X509_add1_ext_i2d(x,
		    NID_subject_key_identifier, (void *)ski, 0,
		    X509V3_ADD_DEFAULT), 1);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	EVP_PKEY_free(k);
	return x;
}

X509 *
tu_list_cert(const char *dir, const char *rel, const char *marker)
{
	unsigned char	*b64, *der;
	char		*buf;
	const char	*p, *e;
	const unsigned char *q;
	size_t		 n = 0, i;
	int		 dlen;
	X509		*x;

	buf = tu_slurp(dir, rel, TL_MAX_LIST_BYTES, NULL);
	if ((p = strstr(buf, marker)) == NULL ||
	    (p = strstr(p, "X509Certificate>")) == NULL ||
	    (e = strchr(p, '<')) == NULL)
		fail_msg("%s: no certificate after '%s'", rel, marker);
	p += strlen("X509Certificate>");
	b64 = malloc(e - p + 1);
	der = malloc(e - p + 1);
	assert_true(b64 != NULL && der != NULL);
	for (i = 0; p + i < e; i++)
		if (strchr(" \t\r\n", p[i]) == NULL)
			b64[n++] = p[i];
	dlen = EVP_DecodeBlock(der, b64, (int)n);
	assert_true(dlen > 0);
	while (n > 0 && b64[n - 1] == '=') {	/* DecodeBlock keeps pad */
		dlen--;
		n--;
	}
	q = der;
	x = d2i_X509(NULL, &q, dlen);
	assert_non_null(x);
	free(b64);
	free(der);
	free(buf);
	return x;
}
