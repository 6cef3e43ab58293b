/*
 * tl_set.c: the verified lists of a cache folder, parsed, for status
 * queries (`xbrg tl status`, the gateway's home-list check).
 *
 * The cache contract (tl_cache.c): every DIR/lists/NAME.xml holds the last
 * good verified bytes of one list; files whose name starts with '.' are
 * temporary.  Lists are not re-verified here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl.h"

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
tl_set_free(struct tl_set *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		tl_list_free(s->lists[i]);
		free(s->names[i]);
	}
	free(s->lists);
	free(s->names);
	memset(s, 0, sizeof(*s));
}

int
tl_set_load(const char *dir, struct tl_set *out, struct val_report *rep,
    char *err, size_t errlen)
{
	struct tl_set	 s;
	struct val_report one;
	char		 path[4096], **names = NULL, **g;
	DIR		*d = NULL;
	struct dirent	*e;
	unsigned char	*buf;
	size_t		 n = 0, cap = 0, len, i;
	int		 rc = -1;

	memset(&s, 0, sizeof(s));
	if ((size_t)snprintf(path, sizeof(path), "%s/lists", dir) >=
	    sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		goto out;
	}
	if ((d = opendir(path)) == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if (n >= TL_MAX_SET_LISTS) {
			snprintf(err, errlen, "more than %d lists in %s",
			    TL_MAX_SET_LISTS, path);
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((g = reallocarray(names, cap, sizeof(*g))) ==
			    NULL)
				goto oom;
			names = g;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			goto oom;
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpname);
	if (n > 0 && ((s.lists = calloc(n, sizeof(*s.lists))) == NULL ||
	    (s.names = calloc(n, sizeof(*s.names))) == NULL))
		goto oom;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/lists/%s", dir, names[i]);
		if (val_read_file(path, TL_MAX_LIST_BYTES, &buf, &len, err,
		    errlen) != 0)
			goto out;
		val_report_init(&one);
		s.lists[s.n] = tl_parse(buf, len, path, &one);
		free(buf);
		if (s.lists[s.n] == NULL) {
			/* Left out: say why. */
			val_report_move(rep, &one);
			val_report_clear(&one);
			continue;
		}
		val_report_clear(&one);
		s.names[s.n++] = names[i];
		names[i] = NULL;
	}
	*out = s;
	memset(&s, 0, sizeof(s));
	rc = 0;
	goto out;
 oom:
	snprintf(err, errlen, "out of memory reading %s", dir);
 out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d != NULL)
		closedir(d);
	tl_set_free(&s);
	return rc;
}

const char *
tl_set_name(const struct tl_set *s, const struct tl_list *l)
{
	size_t	 i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (s->lists[i] == l)
			return s->names[i];
	return NULL;
}
