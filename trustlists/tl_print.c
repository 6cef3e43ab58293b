/*
 * tl_print.c: a stable text dump of a parsed list, for golden tests and
 * debugging.  One fact a line; certificates as the first 16 hex digits of
 * SHA-256 of their DER (the cert id SOURCES.md uses), SKIs in hex; text
 * with control characters replaced by '?'.  Changing this format means
 * regenerating the .out files in tests/golden.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "tl.h"

static void
pstr(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("-", f);
		return;
	}
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void
ptime(FILE *f, time_t t)
{
	char	 buf[VAL_TIME_LEN];

	if (t == TL_NO_TIME) {
		fputs("-", f);
		return;
	}
	val_time_format(t, buf);
	fputs(buf, f);
}

static void
pcertid(FILE *f, const struct tl_blob *b)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;

	if (EVP_Digest(b->p, b->len, md, &mdlen, EVP_sha256(), NULL) != 1) {
		fputs("?", f);
		return;
	}
	for (i = 0; i < 8 && i < mdlen; i++)
		fprintf(f, "%02x", md[i]);
}

static void
phex(FILE *f, const struct tl_blob *b)
{
	size_t	 i;

	for (i = 0; i < b->len && i < 64; i++)
		fprintf(f, "%02x", b->p[i]);
}

static void
pinfo(FILE *f, const char *ind, const struct tl_service_info *si)
{
	size_t	 i, j;

	fprintf(f, "%stype: ", ind);
	pstr(f, si->type);
	fprintf(f, "\n%sname: ", ind);
	pstr(f, si->name);
	fprintf(f, "\n%sstatus: ", ind);
	pstr(f, si->status);
	fprintf(f, "\n%ssince: ", ind);
	ptime(f, si->status_start);
	fputc('\n', f);
	for (i = 0; i < si->nids; i++) {
		fprintf(f, "%sid: ", ind);
		switch (si->ids[i].kind) {
		case TL_ID_CERT:
			fputs("cert ", f);
			pcertid(f, &si->ids[i].data);
			break;
		case TL_ID_SKI:
			fputs("ski ", f);
			phex(f, &si->ids[i].data);
			break;
		case TL_ID_SUBJECT:
			fputs("subject ", f);
			pstr(f, si->ids[i].text);
			break;
		default:
			fputs("other", f);
			break;
		}
		fputc('\n', f);
	}
	for (i = 0; i < si->nquals; i++) {
		fprintf(f, "%squalification: assert=", ind);
		pstr(f, si->quals[i].assert);
		fprintf(f, " criteria=%zu", si->quals[i].ncriteria);
		for (j = 0; j < si->quals[i].nqualifiers; j++) {
			fputc(' ', f);
			pstr(f, si->quals[i].qualifiers[j]);
		}
		fputc('\n', f);
	}
	for (i = 0; i < si->nasi; i++) {
		fprintf(f, "%sasi: ", ind);
		pstr(f, si->asi[i]);
		fputc('\n', f);
	}
	fprintf(f, "%sextensions: %zu\n", ind, si->nextensions);
}

void
tl_list_print(FILE *f, const struct tl_list *l)
{
	const struct tl_pointer	*p;
	const struct tl_service	*s;
	size_t			 i, j, k;

	if (l == NULL) {
		fputs("(null)\n", f);
		return;
	}
	fputs("root-id: ", f);
	pstr(f, l->root_id);
	fprintf(f, "\nsignatures: %zu (anywhere %zu)\nbom: %d\n",
	    l->nsignatures, l->nsignatures_deep, l->had_bom);
	fprintf(f, "version: %d\nseq: %lld\ntype: ", l->version, l->seq);
	pstr(f, l->type);
	fputs("\nterritory: ", f);
	pstr(f, l->territory);
	fputs("\noperator: ", f);
	pstr(f, l->operator_name);
	fputs("\nissued: ", f);
	ptime(f, l->issued);
	fputs("\nnext-update: ", f);
	if (l->closed)
		fputs("closed", f);
	else
		ptime(f, l->next_update);
	fprintf(f, "\npointers: %zu\n", l->npointers);
	for (i = 0; i < l->npointers; i++) {
		p = &l->pointers[i];
		fprintf(f, "pointer %zu: ", i);
		pstr(f, p->territory);
		fputc(' ', f);
		pstr(f, p->mime_type);
		fputc(' ', f);
		pstr(f, p->location);
		fputs("\n  type: ", f);
		pstr(f, p->type);
		fputc('\n', f);
		for (j = 0; j < p->ncerts; j++) {
			fputs("  cert: ", f);
			pcertid(f, &p->certs[j]);
			fputc('\n', f);
		}
	}
	fprintf(f, "tsps: %zu\nservices: %zu\n", l->ntsps, l->nservices);
	for (i = 0; i < l->ntsps; i++) {
		fprintf(f, "tsp %zu: ", i);
		pstr(f, l->tsps[i].name);
		fputc('\n', f);
		for (j = 0; j < l->tsps[i].nservices; j++) {
			s = &l->tsps[i].services[j];
			fprintf(f, "  service %zu.%zu\n", i, j);
			pinfo(f, "    ", &s->cur);
			for (k = 0; k < s->nhistory; k++) {
				fprintf(f, "    history %zu\n", k);
				pinfo(f, "      ", &s->history[k]);
			}
		}
	}
}
