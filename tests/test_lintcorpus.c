/*
 * test_lintcorpus.c: the rfc5280 profile against the lint corpus
 * ($XBRG_SHARED/conformance/lint-corpus): certificates with zlint and
 * pkilint expectations.  Each of our codes is mapped to the zlint lint
 * names and pkilint finding codes that mean the same thing; for every
 * mapped pair the runner counts the certificates where we agree and
 * disagree, prints them, and fails when agreement drops below what was
 * measured (the floor column) or disagreements rise above it.
 *
 * Positives: a zlint expectation of notice/info/warn/error/fatal, or a
 * pkilint finding.  Negatives: zlint "pass", and every mapped pkilint
 * code a (complete) pkilint finding set does not list.  zlint NA and NE
 * (not applicable, not effective) are not counted.
 *
 * maps[]: zlint lint names and pkilint codes mapped to the rfc5280 codes
 * that mean the same thing, with the agreement measured on the corpus
 * (floor) and the disagreements (ceiling).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "val.h"

#define AT		"2020-01-01T00:00:00Z" /* unused by mapped rules */
#define MAX_CERTS	512

struct map {
	const char	*lint;		/* zlint name or pkilint code */
	const char	*ours;		/* any of these codes */
	int		 floor_agree;	/* measured; must not drop */
	int		 ceil_disagree;	/* measured; must not rise */
};

static const struct map maps[] = {
	/* lint name, our codes, floor agree, ceiling disagree */
	{ "e_serial_number_not_positive", "CERT-SERIAL-NOT-POSITIVE", 3, 0 },
	{ "e_serial_number_longer_than_20_octets", "CERT-SERIAL-TOO-LONG",
	    3, 0 },
	{ "pkix.certificate_serial_number_out_of_range",
	    "CERT-SERIAL-NOT-POSITIVE CERT-SERIAL-TOO-LONG", 47, 0 },
	{ "e_cert_sig_alg_not_match_tbs_sig_alg", "CERT-SIG-ALG-MISMATCH",
	    3, 0 },
	{ "pkix.certificate_signature_algorithm_mismatch",
	    "CERT-SIG-ALG-MISMATCH", 47, 0 },
	{ "e_algorithm_identifier_improper_encoding", "CERT-ALG-PARAMS",
	    5, 1 },
	{ "e_spki_rsa_encryption_parameter_not_null", "CERT-ALG-PARAMS",
	    3, 0 },
	{ "e_tbs_signature_rsa_encryption_parameter_not_null",
	    "CERT-ALG-PARAMS", 2, 0 },
	{ "e_wrong_time_format_pre2050", "CERT-TIME-ENCODING", 3, 0 },
	{ "e_utc_time_not_in_zulu", "CERT-TIME-FORMAT", 2, 0 },
	{ "e_utc_time_does_not_include_seconds", "CERT-TIME-FORMAT", 2, 0 },
	{ "e_generalized_time_not_in_zulu", "CERT-TIME-FORMAT", 2, 0 },
	{ "e_validity_time_not_positive", "CERT-VALIDITY-NEGATIVE", 2, 0 },
	{ "pkix.certificate_negative_validity_period",
	    "CERT-VALIDITY-NEGATIVE", 47, 0 },
	{ "e_cert_contains_unique_identifier", "CERT-UNIQUE-ID", 3, 0 },
	{ "e_cert_extensions_version_not_3", "CERT-VERSION-EXT-NOT-V3",
	    3, 0 },
	{ "e_invalid_certificate_version",
	    "CERT-VERSION-INVALID CERT-VERSION-EXT-NOT-V3", 2, 0 },
	{ "pkix.certificate_version_is_not_v3",
	    "CERT-VERSION-INVALID CERT-VERSION-EXT-NOT-V3", 46, 1 },
	{ "e_issuer_field_empty", "CERT-ISSUER-EMPTY", 2, 0 },
	{ "e_subject_empty_without_san", "CERT-SUBJECT-EMPTY-NO-SAN", 2, 0 },
	{ "e_ext_san_not_critical_without_subject",
	    "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL", 3, 0 },
	{ "pkix.san_extension_not_critical_empty_subject",
	    "CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL", 47, 0 },
	{ "w_ext_san_critical_with_subject_dn",
	    "CERT-SAN-CRITICAL-WITH-SUBJECT", 2, 0 },
	{ "pkix.san_extension_is_critical_non_empty_subject",
	    "CERT-SAN-CRITICAL-WITH-SUBJECT", 47, 0 },
	{ "e_ca_subject_field_empty", "CERT-CA-SUBJECT-EMPTY", 2, 0 },
	{ "e_subject_dn_country_not_printable_string", "CERT-DN-COUNTRY",
	    2, 0 },
	{ "e_issuer_dn_country_not_printable_string", "CERT-DN-COUNTRY",
	    2, 0 },
	{ "e_subject_printable_string_badalpha", "CERT-DN-PRINTABLE-CHARS",
	    3, 0 },
	{ "e_subject_common_name_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_locality_name_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_state_name_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_organization_name_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_organizational_unit_name_max_length", "CERT-DN-LENGTH",
	    2, 0 },
	{ "e_subject_dn_serial_number_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_email_max_length", "CERT-DN-LENGTH", 2, 0 },
	{ "e_subject_postal_code_max_length", "CERT-DN-LENGTH", 1, 1 },
	{ "e_ext_duplicate_extension", "CERT-EXT-DUP", 3, 0 },
	{ "e_cert_ext_invalid_der", "CERT-EXT-UNDECODABLE", 1, 1 },
	{ "e_basic_constr_invalid_der", "CERT-EXT-UNDECODABLE", 2, 0 },
	{ "itu.invalid_asn1_syntax", "CERT-EXT-UNDECODABLE CERT-DER-STRICT",
	    42, 6 },
	{ "e_basic_constraints_not_critical", "CERT-BC-CA-NOT-CRITICAL",
	    2, 0 },
	{ "e_ext_key_usage_cert_sign_without_ca", "CERT-KU-CERTSIGN-NOT-CA",
	    2, 0 },
	{ "e_ca_key_usage_missing", "CERT-CA-KU-MISSING", 2, 0 },
	{ "pkix.ca_certificate_no_ku_extension", "CERT-CA-KU-MISSING", 47, 0 },
	{ "e_ca_key_cert_sign_not_set", "CERT-CA-KU-NO-CERTSIGN", 2, 0 },
	{ "e_ca_key_usage_not_critical", "CERT-KU-NOT-CRITICAL", 2, 0 },
	{ "w_ext_key_usage_not_critical", "CERT-KU-NOT-CRITICAL", 4, 0 },
	{ "e_ext_key_usage_without_bits", "CERT-KU-EMPTY", 2, 0 },
	{ "e_path_len_constraint_improperly_included", "CERT-PATHLEN-NOT-CA",
	    5, 0 },
	{ "pkix.authority_key_identifier_extension_absent",
	    "CERT-AKI-MISSING", 44, 3 },
	{ "e_ext_authority_key_identifier_critical", "CERT-AKI-CRITICAL",
	    2, 0 },
	{ "e_ext_authority_key_identifier_no_key_identifier",
	    "CERT-AKI-NO-KEYID", 2, 0 },
	{ "e_ext_subject_key_identifier_missing_ca", "CERT-SKI-MISSING-CA",
	    2, 0 },
	{ "w_ext_subject_key_identifier_missing_sub_cert",
	    "CERT-SKI-MISSING-EE", 2, 0 },
	{ "pkix.certificate_skid_end_entity_missing", "CERT-SKI-MISSING-EE",
	    47, 0 },
	{ "e_ext_subject_key_identifier_critical", "CERT-SKI-CRITICAL",
	    2, 0 },
	{ "e_ext_name_constraints_not_in_ca", "CERT-NC-NOT-CA", 2, 0 },
	{ "e_ext_name_constraints_not_critical", "CERT-NC-NOT-CRITICAL",
	    2, 0 },
	{ "pkix.certificate_name_constraints_extension_not_critical",
	    "CERT-NC-NOT-CRITICAL", 47, 0 },
	{ "e_ext_aia_marked_critical", "CERT-AIA-CRITICAL", 2, 0 },
	{ "e_subject_info_access_marked_critical", "CERT-SIA-CRITICAL",
	    2, 0 },
	{ "e_ext_policy_constraints_not_critical", "CERT-PC-NOT-CRITICAL",
	    2, 0 },
	{ "e_inhibit_any_policy_not_critical", "CERT-IAP-NOT-CRITICAL",
	    2, 0 },
	{ "w_ext_crl_distribution_marked_critical", "CERT-CRLDP-CRITICAL",
	    2, 0 },
	{ "e_ext_san_no_entries", "CERT-SAN-EMPTY", 2, 0 },
	{ "e_ext_cert_policy_duplicate", "CERT-CP-DUP", 3, 0 },
	{ "w_ext_policy_map_not_critical", "CERT-PM-NOT-CRITICAL", 2, 0 },
	{ "e_ext_policy_map_any_policy", "CERT-PM-ANY-POLICY", 3, 0 },
	{ "e_name_constraint_empty", "CERT-NC-EMPTY", 2, 0 },
	{ "e_name_constraint_minimum_non_zero", "CERT-NC-MINIMUM", 2, 0 },
	{ "e_name_constraint_maximum_not_absent", "CERT-NC-MAXIMUM", 3, 0 },
	{ "e_ext_policy_constraints_empty", "CERT-PC-EMPTY", 2, 0 },
	{ "e_ext_subject_directory_attr_critical", "CERT-SDA-CRITICAL",
	    2, 0 },
	{ "e_ext_freshest_crl_marked_critical", "CERT-FRESHEST-CRL-CRITICAL",
	    2, 0 },
	{ "e_distribution_point_incomplete", "CERT-DP-INCOMPLETE", 2, 0 },
	{ "pkix.distribution_point_does_not_contain_name_or_issuer",
	    "CERT-DP-INCOMPLETE", 46, 1 },
};
#define NMAPS	(sizeof(maps) / sizeof(maps[0]))

static int	agree_n[NMAPS], disagree_n[NMAPS];

struct cert {
	char		 path[128];
	int		 loaded;
	char		*codes;		/* " A B C " */
	int		 pkilint;
	char		*pk_listed;	/* " code1 code2 " */
};

static struct cert	 certs[MAX_CERTS];
static size_t		 ncerts;

static struct cert *
cert_get(const char *path)
{
	size_t	 i;

	for (i = 0; i < ncerts; i++)
		if (strcmp(certs[i].path, path) == 0)
			return &certs[i];
	assert_true(ncerts < MAX_CERTS);
	snprintf(certs[ncerts].path, sizeof(certs[ncerts].path), "%s", path);
	certs[ncerts].pkilint = strncmp(path, "certs/pkilint/", 14) == 0;
	certs[ncerts].pk_listed = strdup(" ");
	return &certs[ncerts++];
}

/* 1 when any code of the space-separated list is in c's findings. */
static int
ours_found(const struct cert *c, const char *list)
{
	char	 buf[256], *tok, *save = NULL, needle[80];

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		snprintf(needle, sizeof(needle), " %s ", tok);
		if (strstr(c->codes, needle) != NULL)
			return 1;
	}
	return 0;
}

static int
map_get(const char *lint)
{
	size_t	 i;

	for (i = 0; i < NMAPS; i++)
		if (strcmp(maps[i].lint, lint) == 0)
			return (int)i;
	return -1;
}

static void
lint_all(const char *dir, struct val_profile *p)
{
	struct val_certs	 cs;
	struct val_report	 rep;
	char			 path[1200], err[512];
	time_t			 at;
	size_t			 i, j, len;

	assert_int_equal(val_time_parse(AT, &at), 0);
	for (i = 0; i < ncerts; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, certs[i].path);
		memset(&cs, 0, sizeof(cs));
		val_report_init(&rep);
		certs[i].loaded = val_certs_load_file(path, &cs, err,
		    sizeof(err)) == 0;
		for (j = 0; j < cs.n; j++)
			assert_int_equal(val_cert_check(&cs.v[j], p, at,
			    &rep), 0);
		len = 2;
		for (j = 0; j < rep.n; j++)
			len += strlen(rep.items[j].rule->code) + 1;
		assert_non_null(certs[i].codes = malloc(len));
		strcpy(certs[i].codes, " ");
		for (j = 0; j < rep.n; j++) {
			strcat(certs[i].codes, rep.items[j].rule->code);
			strcat(certs[i].codes, " ");
		}
		val_report_clear(&rep);
		val_certs_free(&cs);
	}
}

static void
judge(int mi, struct cert *c, int expected, int *unloaded)
{
	const struct map	*m = &maps[mi];
	int			 found;

	if (!c->loaded) {
		(*unloaded)++;
		return;
	}
	found = ours_found(c, m->ours);
	if (found == expected)
		agree_n[mi]++;
	else {
		disagree_n[mi]++;
		printf("  disagree %s: %s expects %s, rfc5280 %s\n", c->path,
		    m->lint, expected ? "a finding" : "none",
		    found ? "finds one" : "finds none");
	}
}

static void
test_corpus(void **state)
{
	const char		*sh = getenv("XBRG_SHARED");
	char			 dir[1024], tsv[1100], line[4096], err[512];
	char			*f[4], *save, *s, *grown;
	struct val_profile	*p;
	struct cert		*c;
	int			 mi;
	struct stat		 st;
	FILE			*fp;
	size_t			 i, j, n;
	int			 k, pos, unloaded = 0, bad = 0;
	int			 agree = 0, disagree = 0;

	if (sh == NULL || snprintf(dir, sizeof(dir),
	    "%s/conformance/lint-corpus", sh) < 0 || stat(dir, &st) != 0) {
		printf("skip: $XBRG_SHARED/conformance/lint-corpus absent\n");
		skip();
	}
	snprintf(tsv, sizeof(tsv), "%s/expectations.tsv", dir);
	assert_non_null(fp = fopen(tsv, "r"));
	/* First pass: every certificate and the pkilint codes listed. */
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		save = NULL;
		for (k = 0, s = strtok_r(line, "\t", &save); k < 4 && s;
		    k++, s = strtok_r(NULL, "\t", &save))
			f[k] = s;
		if (k < 4 || strcmp(f[0], "cert") == 0)
			continue;
		c = cert_get(f[0]);
		if (strcmp(f[1], "pkilint") == 0) {
			n = strlen(c->pk_listed) + strlen(f[2]) + 2;
			assert_non_null(grown = realloc(c->pk_listed, n));
			c->pk_listed = grown;
			strcat(c->pk_listed, f[2]);
			strcat(c->pk_listed, " ");
		}
	}
	assert_true(ncerts > 300);
	assert_non_null(p = val_profile_load("rfc5280", NULL, err,
	    sizeof(err)));
	lint_all(dir, p);
	/* Second pass: zlint rows and pkilint positives. */
	rewind(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		save = NULL;
		for (k = 0, s = strtok_r(line, "\t", &save); k < 4 && s;
		    k++, s = strtok_r(NULL, "\t", &save))
			f[k] = s;
		if (k < 4 || strcmp(f[0], "cert") == 0 ||
		    (mi = map_get(f[2])) < 0)
			continue;
		if (strcmp(f[3], "NA") == 0 || strcmp(f[3], "NE") == 0)
			continue;
		pos = strcmp(f[3], "pass") != 0;
		judge(mi, cert_get(f[0]), pos, &unloaded);
	}
	fclose(fp);
	/* pkilint negatives: complete finding sets. */
	for (i = 0; i < ncerts; i++) {
		if (!certs[i].pkilint)
			continue;
		for (j = 0; j < NMAPS; j++) {
			char	 needle[128];

			if (strncmp(maps[j].lint, "pkix.", 5) != 0 &&
			    strncmp(maps[j].lint, "itu.", 4) != 0)
				continue;
			snprintf(needle, sizeof(needle), " %s ",
			    maps[j].lint);
			if (strstr(certs[i].pk_listed, needle) == NULL)
				judge((int)j, &certs[i], 0, &unloaded);
		}
	}
	printf("%-52s %-6s %-9s\n", "zlint/pkilint -> ours", "agree",
	    "disagree");
	for (j = 0; j < NMAPS; j++) {
		printf("%-52s %5d %9d\n", maps[j].lint, agree_n[j],
		    disagree_n[j]);
		agree += agree_n[j];
		disagree += disagree_n[j];
		if (agree_n[j] < maps[j].floor_agree ||
		    disagree_n[j] > maps[j].ceil_disagree) {
			printf("REGRESSED %s: agree %d (floor %d), disagree "
			    "%d (ceiling %d)\n", maps[j].lint, agree_n[j],
			    maps[j].floor_agree, disagree_n[j],
			    maps[j].ceil_disagree);
			bad++;
		}
	}
	printf("lint-corpus: %zu certificates, %zu mapped lints, %d agree, "
	    "%d disagree, %d skipped (certificate did not load)\n", ncerts,
	    NMAPS, agree, disagree, unloaded);
	for (i = 0; i < ncerts; i++) {
		free(certs[i].codes);
		free(certs[i].pk_listed);
	}
	ncerts = 0;
	val_profile_free(p);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests_name("lintcorpus", tests, NULL, NULL);
}
