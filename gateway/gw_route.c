/*
 * gw_route.c: the route table, as data, matched first to last.  A path no
 * pattern matches is 404; a path some pattern matches under another method
 * is 405 with Allow.  "{}" captures one whole path segment, "{}.p7m" one
 * segment ending in ".p7m" (the suffix is not captured).
 */
#include <string.h>

#include "gw_http.h"

#define R_SUB	GW_RB(GW_ROLE_SUBMITTER)
#define R_REV	GW_RB(GW_ROLE_REVIEWER)
#define R_ADM	GW_RB(GW_ROLE_ADMIN)

const struct gw_route gw_routes[] = {
	{ "POST", "/v1/dossiers", R_SUB, GW_MAX_DOSSIER_BYTES,
	    gw_h_dossier_create, "dossier_create" },
	{ "GET", "/v1/dossiers", R_SUB | R_REV | R_ADM, 0,
	    gw_h_dossier_list, "dossier_list" },
	{ "GET", "/v1/dossiers/{}", R_SUB | R_REV | R_ADM, 0,
	    gw_h_dossier_get, "dossier_get" },
	{ "PUT", "/v1/dossiers/{}", R_SUB, GW_MAX_DOSSIER_BYTES,
	    gw_h_dossier_amend, "dossier_amend" },
	{ "POST", "/v1/dossiers/{}/reviews", R_SUB | R_REV, GW_MAX_REVIEW_BYTES,
	    gw_h_review, "review" },
	{ "GET", "/v1/decisions", 0, 0, gw_h_decision_list,
	    "decision_list" },
	{ "GET", "/v1/decisions/{}.p7m", 0, 0, gw_h_decision_p7m,
	    "decision_p7m" },
	{ "GET", "/v1/decisions/{}", 0, 0, gw_h_decision_get,
	    "decision_get" },
	{ "GET", "/v1/recognitions", 0, 0, gw_h_recognitions,
	    "recognitions" },
	{ "POST", "/v1/validate", 0, GW_MAX_BODY_VALIDATE, gw_h_validate,
	    "validate" },
	{ "POST", "/v1/complaints", 0, GW_MAX_REVIEW_BYTES,
	    gw_h_complaint_create, "complaint_create" },
	{ "GET", "/v1/complaints", R_REV | R_ADM, 0, gw_h_complaint_list,
	    "complaint_list" },
	{ "GET", "/v1/whoami", R_SUB | R_REV | R_ADM, 0, gw_h_whoami,
	    "whoami" },
	{ "GET", "/v1/admin/config", R_ADM, 0, gw_h_admin_config,
	    "admin_config" },
	{ "GET", "/healthz", 0, 0, gw_h_healthz, "healthz" },
	{ "GET", "/metrics", 0, 0, gw_h_metrics, "metrics" },
};
const size_t gw_nroutes = sizeof(gw_routes) / sizeof(gw_routes[0]);

/* Matches one segment [s, s+slen) against pattern segment [p, p+plen). */
static int
seg_match(const char *p, size_t plen, const char *s, size_t slen,
    char *cap, size_t capsz, int *captured)
{
	size_t	 sufl;

	*captured = 0;
	if (plen >= 2 && p[0] == '{' && p[1] == '}') {
		sufl = plen - 2;
		if (slen <= sufl || memcmp(s + slen - sufl, p + 2, sufl) != 0)
			return 0;
		if (slen - sufl >= capsz)
			return 0;
		memcpy(cap, s, slen - sufl);
		cap[slen - sufl] = '\0';
		*captured = 1;
		return 1;
	}
	return plen == slen && memcmp(p, s, slen) == 0;
}

/* Matches a whole path against a pattern; fills params on success. */
static int
path_match(const char *pat, const char *path, char params[][128])
{
	const char	*pe, *se;
	size_t		 np = 0;
	int		 cap;
	char		 tmp[128];

	for (;;) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		pe = strchr(pat, '/');
		se = strchr(path, '/');
		if (pe == NULL)
			pe = pat + strlen(pat);
		if (se == NULL)
			se = path + strlen(path);
		if (!seg_match(pat, pe - pat, path, se - path, tmp,
		    sizeof(tmp), &cap))
			return 0;
		if (cap) {
			if (np >= GW_MAX_PATH_PARAMS)
				return 0;
			memcpy(params[np++], tmp, sizeof(tmp));
		}
		pat = pe;
		path = se;
		if (*pat == '\0' && *path == '\0')
			return 1;
	}
}

const struct gw_route *
gw_route_match(const char *method, const char *path, char params[][128],
    int *status, char *allow, size_t allowsz)
{
	char	 tmp[GW_MAX_PATH_PARAMS][128];
	size_t	 i;
	int	 known = 0;

	if (allowsz > 0)
		allow[0] = '\0';
	for (i = 0; i < gw_nroutes; i++) {
		if (!path_match(gw_routes[i].pattern, path, tmp))
			continue;
		if (strcmp(gw_routes[i].method, method) == 0) {
			memcpy(params, tmp, sizeof(tmp));
			*status = 200;
			return &gw_routes[i];
		}
		if (strstr(allow, gw_routes[i].method) == NULL &&
		    strlen(allow) + strlen(gw_routes[i].method) + 3 <
		    allowsz) {
			if (known)
				strcat(allow, ", ");
			strcat(allow, gw_routes[i].method);
		}
		known = 1;
	}
	*status = known ? 405 : 404;
	return NULL;
}

size_t
gw_route_index(const struct gw_route *r)
{
	if (r == NULL)
		return gw_nroutes;
	return (size_t)(r - gw_routes);
}
