/* gw_h_pending.c: TEMPORARY until gw_svc.h lands; replaced, not kept. */
#include "gw_h.h"

#define PENDING(fn) int fn(struct gw_req *r) { return gw_reply_error(r, \
    503, "unavailable", NULL, "not built yet"); }
PENDING(gw_h_dossier_create)
PENDING(gw_h_dossier_list)
PENDING(gw_h_dossier_get)
PENDING(gw_h_dossier_amend)
PENDING(gw_h_review)
PENDING(gw_h_decision_list)
PENDING(gw_h_decision_get)
PENDING(gw_h_decision_p7m)
PENDING(gw_h_recognitions)
PENDING(gw_h_validate)
PENDING(gw_h_complaint_create)
PENDING(gw_h_complaint_list)
#include <string.h>
static const char *const rn[] = { "public", "submitter", "reviewer", "admin" };
const char *gw_role_name(enum gw_role r) { return (unsigned)r < 4 ? rn[r] : "public"; }
int gw_role_parse(const char *s, enum gw_role *o) { int i; for (i = 0; i < 4; i++) if (strcmp(s, rn[i]) == 0) { *o = i; return 0; } return -1; }
