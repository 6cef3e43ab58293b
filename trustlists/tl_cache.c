/*
 * tl_cache.c: the verified-list cache (layout and contract in tl.h).
 *
 * Only verified bytes are ever stored.  Every write is atomic: a temp file
 * in the same folder (".tmp-NAME-XXXXXX", never matching "*.xml"), fsync,
 * rename over the target, fsync of the folder.  The list is renamed
 * before its meta; the meta names the list's SHA-256, so a reader can see
 * the (crash-only) window where the two disagree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "tl.h"

int
tl_cache_name_ok(const char *name)
{
	size_t	 i, n = strlen(name);

	if (n == 0 || n >= 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return 0;
	return 1;
}

void
tl_cache_meta_free(struct tl_cache_meta *m)
{
	if (m == NULL)
		return;
	free(m->url);
	free(m->etag);
	free(m->last_modified);
	memset(m, 0, sizeof(*m));
	m->seq = -1;
	m->issued = m->next_update = m->fetched_at = TL_NO_TIME;
}

static int
mkdir_p(const char *dir, char *err, size_t errlen)
{
	char	 path[4096];

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/lists", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Writes bytes to DIR/SUB/FILE atomically.  Returns 0 or -1. */
static int
atomic_write_sub(const char *dir, const char *sub, const char *name,
    const char *file, const void *p, size_t len, char *err, size_t errlen)
{
	char		 tmp[4096], dst[4096], ldir[4096];
	const char	*q = p;
	ssize_t		 w;
	int		 fd = -1, dfd = -1, rc = -1;

	if ((size_t)snprintf(ldir, sizeof(ldir), "%s/%s", dir, sub) >=
	    sizeof(ldir) - 128 || strlen(file) > 100) {
		snprintf(err, errlen, "cache path too long");
		return -1;
	}
	snprintf(dst, sizeof(dst), "%.3900s/%.100s", ldir, file);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-XXXXXX", ldir,
	    name) >= sizeof(tmp)) {
		snprintf(err, errlen, "cache path too long");
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "cannot create a temp file in %s: %s",
		    ldir, strerror(errno));
		return -1;
	}
	while (len > 0) {
		if ((w = write(fd, q, len)) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "write %s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		q += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "fsync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(err, errlen, "close %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, dst) != 0) {
		snprintf(err, errlen, "rename to %s: %s", dst,
		    strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if ((dfd = open(ldir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	rc = 0;
 out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}

static int
atomic_write(const char *dir, const char *name, const char *file,
    const void *p, size_t len, char *err, size_t errlen)
{
	return atomic_write_sub(dir, "lists", name, file, p, len, err,
	    errlen);
}

static json_t *
jtime(time_t t)
{
	char	 buf[VAL_TIME_LEN];

	if (t == TL_NO_TIME)
		return json_null();
	val_time_format(t, buf);
	return json_string(buf);
}

static int
meta_write(const char *dir, const struct tl_cache_meta *m, char *err,
    size_t errlen)
{
	char	 file[64], *s = NULL;
	json_t	*o;
	int	 rc = -1;

	o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, "
	    "s:s, s:s}",
	    "name", m->name,
	    "territory", m->territory,
	    "url", m->url,
	    "etag", m->etag,
	    "last_modified", m->last_modified,
	    "fetched_at", jtime(m->fetched_at),
	    "sequence", m->seq >= 0 ? json_integer(m->seq) : json_null(),
	    "issued", jtime(m->issued),
	    "next_update", jtime(m->next_update),
	    "signer_sha256", m->signer_sha256,
	    "sha256", m->sha256);
	if (o == NULL || (s = json_dumps(o, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(file, sizeof(file), "%s.meta.json", m->name);
	rc = atomic_write(dir, m->name, file, s, strlen(s), err, errlen);
 out:
	free(s);
	json_decref(o);
	return rc;
}

int
tl_cache_meta_store(const char *dir, const struct tl_cache_meta *m,
    char *err, size_t errlen)
{
	if (!tl_cache_name_ok(m->name)) {
		snprintf(err, errlen, "bad cache name '%s'", m->name);
		return -1;
	}
	if (mkdir_p(dir, err, errlen) != 0)
		return -1;
	return meta_write(dir, m, err, errlen);
}

int
tl_cache_store(const char *dir, const char *name, const unsigned char *p,
    size_t len, const struct tl_cache_meta *m, char *err, size_t errlen)
{
	char	 file[64];

	if (!tl_cache_name_ok(name) || strcmp(name, m->name) != 0) {
		snprintf(err, errlen, "bad cache name '%s'", name);
		return -1;
	}
	if (mkdir_p(dir, err, errlen) != 0)
		return -1;
	snprintf(file, sizeof(file), "%s.xml", name);
	if (atomic_write(dir, name, file, p, len, err, errlen) != 0)
		return -1;
	return meta_write(dir, m, err, errlen);
}

static int
jstr(json_t *o, const char *k, char **out)
{
	json_t	*v = json_object_get(o, k);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || (*out = strdup(json_string_value(v))) ==
	    NULL)
		return -1;
	return 0;
}

static int
jcopy(json_t *o, const char *k, char *dst, size_t dlen)
{
	json_t	*v = json_object_get(o, k);

	dst[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= dlen)
		return -1;
	strcpy(dst, json_string_value(v));
	return 0;
}

static int
jtime_get(json_t *o, const char *k, time_t *t)
{
	json_t	*v = json_object_get(o, k);

	*t = TL_NO_TIME;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	return val_time_parse(json_string_value(v), t);
}

int
tl_cache_meta_load(const char *dir, const char *name,
    struct tl_cache_meta *m, char *err, size_t errlen)
{
	char		 path[4096];
	unsigned char	*buf = NULL;
	size_t		 len;
	json_error_t	 je;
	json_t		*o = NULL, *v;
	int		 rc = -1;

	memset(m, 0, sizeof(*m));
	tl_cache_meta_free(m);
	if (!tl_cache_name_ok(name)) {
		snprintf(err, errlen, "bad cache name '%s'", name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/lists/%s.meta.json", dir, name);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	if (val_read_file(path, TL_CACHE_MAX_META, &buf, &len, err,
	    errlen) != 0)
		return -1;
	if ((o = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL || !json_is_object(o)) {
		snprintf(err, errlen, "%s: not a JSON object (%s)", path,
		    o == NULL ? je.text : "type");
		goto out;
	}
	strcpy(m->name, name);
	v = json_object_get(o, "sequence");
	if (jcopy(o, "territory", m->territory, sizeof(m->territory)) != 0 ||
	    jstr(o, "url", &m->url) != 0 ||
	    jstr(o, "etag", &m->etag) != 0 ||
	    jstr(o, "last_modified", &m->last_modified) != 0 ||
	    jtime_get(o, "fetched_at", &m->fetched_at) != 0 ||
	    jtime_get(o, "issued", &m->issued) != 0 ||
	    jtime_get(o, "next_update", &m->next_update) != 0 ||
	    jcopy(o, "signer_sha256", m->signer_sha256,
	    sizeof(m->signer_sha256)) != 0 ||
	    jcopy(o, "sha256", m->sha256, sizeof(m->sha256)) != 0 ||
	    (v != NULL && !json_is_null(v) && !json_is_integer(v))) {
		snprintf(err, errlen, "%s: a field has the wrong type", path);
		tl_cache_meta_free(m);
		goto out;
	}
	m->seq = v != NULL && json_is_integer(v) ? json_integer_value(v) : -1;
	rc = 0;
 out:
	json_decref(o);
	free(buf);
	return rc;
}

int
tl_cache_list_load(const char *dir, const char *name, unsigned char **buf,
    size_t *len, char *err, size_t errlen)
{
	char	 path[4096];

	if (!tl_cache_name_ok(name)) {
		snprintf(err, errlen, "bad cache name '%s'", name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/lists/%s.xml", dir, name);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	return val_read_file(path, TL_MAX_LIST_BYTES, buf, len, err,
	    errlen) == 0 ? 0 : -1;
}

/* A pivot file name: [A-Za-z0-9._-]{1,63} ending in ".xml", no "..". */
static int
pivot_name_ok(const char *b)
{
	size_t	 i, n = strlen(b);

	if (n < 5 || n > 63 || strcmp(b + n - 4, ".xml") != 0 ||
	    strstr(b, "..") != NULL || b[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'A' && b[i] <= 'Z') || (b[i] >= 'a' &&
		    b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') ||
		    b[i] == '.' || b[i] == '_' || b[i] == '-'))
			return 0;
	return 1;
}

int
tl_cache_pivot_load(const char *dir, const char *base, unsigned char **buf,
    size_t *len, char *err, size_t errlen)
{
	char	 path[4096];

	if (!pivot_name_ok(base)) {
		snprintf(err, errlen, "bad pivot name '%s'", base);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/pivots/%s", dir, base);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	return val_read_file(path, TL_MAX_LIST_BYTES, buf, len, err,
	    errlen) == 0 ? 0 : -1;
}

int
tl_cache_pivot_store(const char *dir, const char *base,
    const unsigned char *p, size_t len, char *err, size_t errlen)
{
	char	 path[4096];

	if (!pivot_name_ok(base)) {
		snprintf(err, errlen, "bad pivot name '%s'", base);
		return -1;
	}
	if (mkdir_p(dir, err, errlen) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/pivots", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return atomic_write_sub(dir, "pivots", "pivot", base, p, len, err,
	    errlen);
}
