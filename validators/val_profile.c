/*
 * val_profile.c: certificate profiles are data files, profiles/NAME.profile.
 *
 * One directive a line; '#' starts a comment; blank lines are ignored:
 *
 *	profile NAME			first directive, NAME = file name
 *	include NAME			compose: every rule and parameter
 *					NAME, in its order
 *	rule CODE SEV | CITE | TEXT	a rule; CODE names a check in code
 *	severity CODE SEV		change an included rule's severity
 *	drop CODE			remove an included rule
 *	param NAME VALUE...		set a parameter (later wins)
 *
 * SEV is info, warn, error or fatal.  A profile naming a code no check
 * implements, a parameter nobody reads, a malformed line, a rule given
 * twice or an include cycle is rejected with "file:line: why".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/objects.h>

#include "val_cert_int.h"

/* Every parameter a profile may set, with its kind. */
static const struct {
	const char	*name;
	enum val_ptype	 type;
} param_defs[VAL_NPARAMS] = {
	{ "max_extensions", VAL_PARAM_INT },
	{ "max_validity_days_ca", VAL_PARAM_INT },
	{ "max_validity_days_ee", VAL_PARAM_INT },
	{ "min_rsa_bits", VAL_PARAM_INT },
	{ "min_rsa_exponent", VAL_PARAM_INT },
	{ "signature_algorithms", VAL_PARAM_OIDS },
	{ "key_algorithms", VAL_PARAM_OIDS },
	{ "curves", VAL_PARAM_OIDS },
};

static const struct val_check *const check_tables[] = {
	val_checks_struct, val_checks_time, val_checks_name, val_checks_ext,
	val_checks_alg, val_checks_gm, NULL
};

const struct val_check *
val_check_find(const char *code)
{
	const struct val_check	*t;
	size_t			 i;

	for (i = 0; check_tables[i] != NULL; i++)
		for (t = check_tables[i]; t->code != NULL; t++)
			if (strcmp(t->code, code) == 0)
				return t;
	return NULL;
}

struct loadctx {
	const char	*dir;
	char		*stack[VAL_PROFILE_MAX_DEPTH];
	int		 depth;
	char		*err;
	size_t		 errlen;
};

static void
perr(struct loadctx *lc, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
perr(struct loadctx *lc, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (line > 0)
		n = snprintf(lc->err, lc->errlen, "%s:%d: ", file, line);
	else
		n = snprintf(lc->err, lc->errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= lc->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(lc->err + n, lc->errlen - n, fmt, ap);
	va_end(ap);
}

static int
name_ok(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++, n++)
		if (!(islower((unsigned char)*s) ||
		    isdigit((unsigned char)*s) ||
		    *s == '-' || *s == '_'))
			return 0;
	return n > 0 && n <= 64;
}

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static struct val_prule *
rule_find(struct val_profile *p, const char *code, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].rule.code, code) == 0) {
			if (idx != NULL)
				*idx = i;
			return &p->rules[i];
		}
	return NULL;
}

static void
rule_free(struct val_prule *r)
{
	free((char *)r->rule.code);
	free((char *)r->rule.cite);
	free((char *)r->rule.text);
}

static int
param_set(struct loadctx *lc, struct val_profile *p, const char *file,
    int line, char *rest)
{
	struct val_param	*pa = NULL;
	char			*tok, *end, *save = NULL;
	long			 v;
	size_t			 i;

	tok = strtok_r(rest, " \t", &save);
	if (tok == NULL) {
		perr(lc, file, line, "param: missing name");
		return -1;
	}
	for (i = 0; i < VAL_NPARAMS; i++)
		if (strcmp(p->params[i].name, tok) == 0)
			pa = &p->params[i];
	if (pa == NULL) {
		perr(lc, file, line, "unknown parameter '%s'", tok);
		return -1;
	}
	for (i = 0; i < pa->noids; i++)
		ASN1_OBJECT_free(pa->oids[i]);
	pa->noids = 0;
	pa->set = 0;
	if (pa->type == VAL_PARAM_INT) {
		tok = strtok_r(NULL, " \t", &save);
		if (tok == NULL) {
			perr(lc, file, line, "param %s: missing value",
			    pa->name);
			return -1;
		}
		errno = 0;
		v = strtol(tok, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > INT_MAX ||
		    strtok_r(NULL, " \t", &save) != NULL) {
			perr(lc, file, line, "param %s: want one integer "
			    "0..%d, got '%s'", pa->name, INT_MAX, tok);
			return -1;
		}
		pa->ival = v;
		pa->set = 1;
		return 0;
	}
	while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
		if (pa->noids == VAL_PROFILE_MAX_VALUES) {
			perr(lc, file, line, "param %s: more than %d values",
			    pa->name, VAL_PROFILE_MAX_VALUES);
			return -1;
		}
		if ((pa->oids[pa->noids] = OBJ_txt2obj(tok, 0)) == NULL) {
			perr(lc, file, line, "param %s: unknown algorithm or "
			    "OID '%s'", pa->name, tok);
			return -1;
		}
		pa->noids++;
	}
	pa->set = 1;
	return 0;
}

static int
rule_add(struct loadctx *lc, struct val_profile *p, const char *file,
    int line, char *rest)
{
	struct val_prule	*grown, r;
	char			*code, *sev, *cite, *text, *bar1, *bar2;
	char			*save = NULL;
	const struct val_check	*chk;
	enum val_sev		 s;

	if ((bar1 = strchr(rest, '|')) == NULL ||
	    (bar2 = strchr(bar1 + 1, '|')) == NULL) {
		perr(lc, file, line, "rule: want 'rule CODE SEVERITY | "
		    "CITATION | TEXT'");
		return -1;
	}
	*bar1 = *bar2 = '\0';
	cite = trim(bar1 + 1);
	text = trim(bar2 + 1);
	code = strtok_r(rest, " \t", &save);
	sev = strtok_r(NULL, " \t", &save);
	if (code == NULL || sev == NULL || strtok_r(NULL, " \t", &save)) {
		perr(lc, file, line, "rule: want 'rule CODE SEVERITY | "
		    "CITATION | TEXT'");
		return -1;
	}
	if (val_sev_parse(sev, &s) != 0) {
		perr(lc, file, line, "rule %s: unknown severity '%s' (info, "
		    "warn, error, fatal)", code, sev);
		return -1;
	}
	if (*cite == '\0' || *text == '\0' || strchr(text, '|') != NULL) {
		perr(lc, file, line, "rule %s: empty citation or text, or a "
		    "'|' in the text", code);
		return -1;
	}
	if ((chk = val_check_find(code)) == NULL) {
		perr(lc, file, line, "rule %s: no check implements this code",
		    code);
		return -1;
	}
	if (rule_find(p, code, NULL) != NULL) {
		perr(lc, file, line, "rule %s: given twice (use 'severity' "
		    "to change an included rule)", code);
		return -1;
	}
	if (p->nrules == VAL_PROFILE_MAX_RULES) {
		perr(lc, file, line, "more than %d rules",
		    VAL_PROFILE_MAX_RULES);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.chk = chk;
	r.rule.sev = s;
	if ((r.rule.code = strdup(code)) == NULL ||
	    (r.rule.cite = strdup(cite)) == NULL ||
	    (r.rule.text = strdup(text)) == NULL)
		goto oom;
	grown = reallocarray(p->rules, p->nrules + 1, sizeof(*grown));
	if (grown == NULL)
		goto oom;
	p->rules = grown;
	p->rules[p->nrules++] = r;
	return 0;
 oom:
	rule_free(&r);
	perr(lc, file, line, "out of memory");
	return -1;
}

static int	load_one(struct loadctx *, struct val_profile *,
		    const char *);

static int
directive(struct loadctx *lc, struct val_profile *p, const char *file,
    int line, char *s, int first, const char *want)
{
	struct val_prule	*r;
	char			*kw, *rest, *a, *b, *save = NULL;
	enum val_sev		 sev;
	size_t			 idx;

	kw = s;
	rest = s + strcspn(s, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	rest = trim(rest);
	if (first != (strcmp(kw, "profile") == 0)) {
		perr(lc, file, line, first ? "the first directive must be "
		    "'profile %s'" : "'profile' given twice", want);
		return -1;
	}
	if (strcmp(kw, "profile") == 0) {
		if (strcmp(rest, want) != 0) {
			perr(lc, file, line, "profile name '%s' does not "
			    "match the file name '%s'", rest, want);
			return -1;
		}
		return 0;
	}
	if (strcmp(kw, "include") == 0) {
		if (!name_ok(rest)) {
			perr(lc, file, line, "include: bad profile name '%s'",
			    rest);
			return -1;
		}
		return load_one(lc, p, rest);
	}
	if (strcmp(kw, "rule") == 0)
		return rule_add(lc, p, file, line, rest);
	if (strcmp(kw, "param") == 0)
		return param_set(lc, p, file, line, rest);
	if (strcmp(kw, "severity") == 0) {
		a = strtok_r(rest, " \t", &save);
		b = strtok_r(NULL, " \t", &save);
		if (a == NULL || b == NULL || strtok_r(NULL, " \t", &save)) {
			perr(lc, file, line, "want 'severity CODE SEVERITY'");
			return -1;
		}
		if (val_sev_parse(b, &sev) != 0) {
			perr(lc, file, line, "unknown severity '%s'", b);
			return -1;
		}
		if ((r = rule_find(p, a, NULL)) == NULL) {
			perr(lc, file, line, "severity: rule %s is not in "
			    "the profile so far", a);
			return -1;
		}
		r->rule.sev = sev;
		return 0;
	}
	if (strcmp(kw, "drop") == 0) {
		if ((r = rule_find(p, rest, &idx)) == NULL) {
			perr(lc, file, line, "drop: rule '%s' is not in the "
			    "profile so far", rest);
			return -1;
		}
		rule_free(r);
		memmove(&p->rules[idx], &p->rules[idx + 1],
		    (p->nrules - idx - 1) * sizeof(*p->rules));
		p->nrules--;
		return 0;
	}
	perr(lc, file, line, "unknown directive '%s' (profile, include, "
	    "rule, severity, drop, param)", kw);
	return -1;
}

static int
load_one(struct loadctx *lc, struct val_profile *p, const char *name)
{
	unsigned char	*buf = NULL;
	char		 path[PATH_MAX], e[256], *s, *nl, *line;
	size_t		 len, off;
	int		 i, lineno = 0, first = 1, rc = -1;

	for (i = 0; i < lc->depth; i++)
		if (strcmp(lc->stack[i], name) == 0) {
			perr(lc, name, 0, "include cycle");
			return -1;
		}
	if (lc->depth == VAL_PROFILE_MAX_DEPTH) {
		perr(lc, name, 0, "includes nested deeper than %d",
		    VAL_PROFILE_MAX_DEPTH);
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.profile", lc->dir,
	    name) >= sizeof(path)) {
		perr(lc, name, 0, "profile path too long");
		return -1;
	}
	if (val_read_file(path, VAL_MAX_PROFILE_BYTES, &buf, &len, e,
	    sizeof(e)) != 0) {
		perr(lc, path, 0, "cannot read profile: %s", e);
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		perr(lc, path, 0, "NUL byte in profile");
		goto out;
	}
	lc->stack[lc->depth++] = (char *)name;
	if ((s = malloc(len + 1)) == NULL) {
		perr(lc, path, 0, "out of memory");
		lc->depth--;
		goto out;
	}
	memcpy(s, buf, len);
	s[len] = '\0';
	off = 0;
	while (off < len) {
		line = s + off;
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		off = nl != NULL ? (size_t)(nl - s) + 1 : len;
		lineno++;
		if (strlen(line) >= VAL_PROFILE_MAX_LINE) {
			perr(lc, path, lineno, "line longer than %d bytes",
			    VAL_PROFILE_MAX_LINE - 1);
			goto done;
		}
		if (strchr(line, '#') != NULL)
			*strchr(line, '#') = '\0';
		line = trim(line);
		if (*line == '\0')
			continue;
		if (directive(lc, p, path, lineno, line, first, name) != 0)
			goto done;
		first = 0;
	}
	if (first) {
		perr(lc, path, 0, "empty profile (want 'profile %s')", name);
		goto done;
	}
	rc = 0;
 done:
	free(s);
	lc->depth--;
 out:
	free(buf);
	return rc;
}

/*
 * The profiles/ folder of the source tree: the binary lives in build/X/,
 * build/X/tests/, build/X/bench/ or build/fuzz/, so look up to four levels
 * above it, then in the current directory.
 */
static int
default_dir(char *out, size_t outlen)
{
	char	 exe[PATH_MAX], try[PATH_MAX + 32], *slash;
	ssize_t	 n;
	int	 i;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (i = 0; i < 5; i++) {
			if ((slash = strrchr(exe, '/')) == NULL)
				break;
			*slash = '\0';
			snprintf(try, sizeof(try),
			    "%s/profiles/rfc5280.profile", exe);
			if (access(try, R_OK) == 0 && strlen(exe) + 10 <
			    outlen) {
				memcpy(out, exe, strlen(exe));
				memcpy(out + strlen(exe), "/profiles", 10);
				return 0;
			}
		}
	}
	if (access("profiles/rfc5280.profile", R_OK) == 0) {
		snprintf(out, outlen, "profiles");
		return 0;
	}
	return -1;
}

struct val_profile *
val_profile_load(const char *name, const char *dir, char *err, size_t errlen)
{
	struct val_profile	*p = NULL, *ret = NULL;
	struct loadctx		 lc;
	char			 dbuf[PATH_MAX];
	const char		*env;
	size_t			 i;

	if (errlen > 0)
		err[0] = '\0';
	if (name == NULL || !name_ok(name)) {
		snprintf(err, errlen, "bad profile name '%s' (letters, "
		    "digits, '-', '_')", name ? name : "(null)");
		return NULL;
	}
	if (dir == NULL && (env = getenv("XBRG_PROFILE_DIR")) != NULL &&
	    *env != '\0')
		dir = env;
	if (dir == NULL) {
		if (default_dir(dbuf, sizeof(dbuf)) != 0) {
			snprintf(err, errlen, "profile %s: no profiles "
			    "folder found (set XBRG_PROFILE_DIR)", name);
			return NULL;
		}
		dir = dbuf;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->name = strdup(name)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < VAL_NPARAMS; i++) {
		p->params[i].name = param_defs[i].name;
		p->params[i].type = param_defs[i].type;
	}
	memset(&lc, 0, sizeof(lc));
	lc.dir = dir;
	lc.err = err;
	lc.errlen = errlen;
	if (load_one(&lc, p, name) != 0)
		goto out;
	if (p->nrules == 0) {
		snprintf(err, errlen, "profile %s: no rules", name);
		goto out;
	}
	ret = p;
	p = NULL;
 out:
	val_profile_free(p);
	return ret;
}

void
val_profile_free(struct val_profile *p)
{
	size_t	 i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrules; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	for (i = 0; i < VAL_NPARAMS; i++)
		for (j = 0; j < p->params[i].noids; j++)
			ASN1_OBJECT_free(p->params[i].oids[j]);
	free(p->name);
	free(p);
}

const char *
val_profile_name(const struct val_profile *p)
{
	return p->name;
}

size_t
val_profile_nrules(const struct val_profile *p)
{
	return p->nrules;
}

const struct val_rule *
val_profile_rule(const struct val_profile *p, size_t i)
{
	return i < p->nrules ? &p->rules[i].rule : NULL;
}

long
val_param_int(const struct val_profile *p, const char *name, long def)
{
	size_t	 i;

	for (i = 0; i < VAL_NPARAMS; i++)
		if (strcmp(p->params[i].name, name) == 0)
			return p->params[i].set ? p->params[i].ival : def;
	return def;
}

int
val_param_has_oid(const struct val_profile *p, const char *name,
    const ASN1_OBJECT *o)
{
	const struct val_param	*pa;
	size_t			 i, j;

	for (i = 0; i < VAL_NPARAMS; i++) {
		pa = &p->params[i];
		if (strcmp(pa->name, name) != 0)
			continue;
		if (!pa->set)
			return -1;
		for (j = 0; j < pa->noids; j++)
			if (OBJ_cmp(pa->oids[j], o) == 0)
				return 1;
		return 0;
	}
	return -1;
}
