/*
 * val_report.c: the one findings model.  Findings are facts about the
 * input; val_report_verdict() is the only place that judges them.
 */
#include <stdlib.h>
#include <string.h>

#include "val.h"

static const char *const sev_names[] = { "info", "warn", "error", "fatal" };

void
val_report_init(struct val_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
val_report_clear(struct val_report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->items[i].where);
		free(r->items[i].detail);
	}
	free(r->items);
	val_report_init(r);
}

int
val_report_addv(struct val_report *r, const struct val_rule *rule,
    const char *where, const char *fmt, va_list ap)
{
	struct val_finding	*f, *grown;
	char			 buf[VAL_MAX_DETAIL];
	size_t			 ncap;

	if (r->n >= VAL_MAX_FINDINGS) {
		r->dropped++;
		return 0;
	}
	if (r->n == r->cap) {
		ncap = r->cap ? r->cap * 2 : 8;
		grown = reallocarray(r->items, ncap, sizeof(*grown));
		if (grown == NULL)
			goto oom;
		r->items = grown;
		r->cap = ncap;
	}
	f = &r->items[r->n];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	if (where != NULL && (f->where = strdup(where)) == NULL)
		goto oom;
	if (fmt != NULL) {
		vsnprintf(buf, sizeof(buf), fmt, ap);
		if ((f->detail = strdup(buf)) == NULL) {
			free(f->where);
			goto oom;
		}
	}
	r->n++;
	return 0;
 oom:
	r->oom = 1;
	return -1;
}

int
val_report_add(struct val_report *r, const struct val_rule *rule,
    const char *where, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = val_report_addv(r, rule, where, fmt, ap);
	va_end(ap);
	return rc;
}

int
val_report_move(struct val_report *dst, struct val_report *src)
{
	struct val_finding	*grown;
	size_t			 i, room, ncap;

	room = VAL_MAX_FINDINGS - (dst->n < VAL_MAX_FINDINGS ?
	    dst->n : VAL_MAX_FINDINGS);
	if (src->n > room) {
		for (i = room; i < src->n; i++) {
			free(src->items[i].where);
			free(src->items[i].detail);
		}
		dst->dropped += src->n - room;
		src->n = room;
	}
	if (dst->n + src->n > dst->cap) {
		ncap = dst->n + src->n;
		grown = reallocarray(dst->items, ncap, sizeof(*grown));
		if (grown == NULL) {
			dst->oom = 1;
			val_report_clear(src);
			return -1;
		}
		dst->items = grown;
		dst->cap = ncap;
	}
	if (src->n > 0)
		memcpy(dst->items + dst->n, src->items,
		    src->n * sizeof(*src->items));
	dst->n += src->n;
	dst->dropped += src->dropped;
	dst->oom |= src->oom;
	free(src->items);
	val_report_init(src);
	return 0;
}

int
val_report_has(const struct val_report *r, const char *code)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].rule->code, code) == 0)
			return 1;
	return 0;
}

int
val_report_fatal(const struct val_report *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->items[i].rule->sev == VAL_FATAL)
			return 1;
	return 0;
}

enum val_verdict
val_report_verdict(const struct val_report *r)
{
	enum val_sev	 max = VAL_INFO;
	size_t		 i;

	/* A report that lost findings cannot pass. */
	if (r->oom)
		return VAL_VERDICT_FAIL;
	for (i = 0; i < r->n; i++)
		if (r->items[i].rule->sev > max)
			max = r->items[i].rule->sev;
	if (max >= VAL_ERROR)
		return VAL_VERDICT_FAIL;
	if (max == VAL_WARN)
		return VAL_VERDICT_WARN;
	return VAL_VERDICT_PASS;
}

void
val_report_print(FILE *fp, const struct val_report *r)
{
	const struct val_finding	*f;
	size_t				 i;

	for (i = 0; i < r->n; i++) {
		f = &r->items[i];
		fprintf(fp, "%s %s [%s] %s", val_sev_name(f->rule->sev),
		    f->rule->code, f->rule->cite, f->rule->text);
		if (f->where != NULL)
			fprintf(fp, " at %s", f->where);
		if (f->detail != NULL)
			fprintf(fp, ": %s", f->detail);
		fputc('\n', fp);
	}
	if (r->dropped > 0)
		fprintf(fp, "(%zu more findings dropped)\n", r->dropped);
}

const char *
val_sev_name(enum val_sev s)
{
	if ((unsigned)s >= sizeof(sev_names) / sizeof(sev_names[0]))
		return "?";
	return sev_names[s];
}

int
val_sev_parse(const char *s, enum val_sev *out)
{
	size_t	 i;

	for (i = 0; i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum val_sev)i;
			return 0;
		}
	return -1;
}

const char *
val_verdict_name(enum val_verdict v)
{
	switch (v) {
	case VAL_VERDICT_PASS:
		return "pass";
	case VAL_VERDICT_WARN:
		return "warn";
	case VAL_VERDICT_FAIL:
		break;
	}
	return "fail";
}
