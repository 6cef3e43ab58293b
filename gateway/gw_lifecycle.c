/*
 * gw_lifecycle.c: the review lifecycle as one table.
 *
 *   submitted --approve(1st)--> under-review (approval pending)
 *   submitted, under-review --request-info--> info-requested
 *   info-requested --amend--> under-review
 *   under-review (pending) --approve(2nd, another reviewer)--> approved
 *   submitted, under-review, info-requested --reject--> rejected
 *   approved --suspend--> suspended --reinstate--> approved
 *   approved, suspended --revoke--> revoked
 *   approved, suspended --withdraw (submitter)--> withdrawn
 *   submitted, under-review, info-requested --withdraw--> withdrawn
 *   approved, suspended --expire (service, at the end date)--> expired
 *
 * Rejected, revoked, withdrawn and expired are final.  Who-is-who checks
 * that need more than the role (four-eyes, self-review, tenant) are in
 * gw_svc.c.
 */
#include <string.h>

#include "gw_svc.h"

static const char *const status_names[GW_ST_COUNT] = {
	"submitted", "under-review", "info-requested", "approved", "rejected",
	"suspended", "revoked", "withdrawn", "expired"
};

static const char *const action_names[GW_ACT_COUNT] = {
	"request-info", "approve", "reject", "suspend", "reinstate", "revoke",
	"withdraw", "amend", "expire"
};

const char *
gw_status_name(enum gw_status s)
{
	return (unsigned)s < GW_ST_COUNT ? status_names[s] : "unknown";
}

int
gw_status_parse(const char *s, enum gw_status *out)
{
	int	 i;

	for (i = 0; i < GW_ST_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum gw_status)i;
			return 0;
		}
	return -1;
}

const char *
gw_action_name(enum gw_action a)
{
	return (unsigned)a < GW_ACT_COUNT ? action_names[a] : "unknown";
}

int
gw_action_parse(const char *s, enum gw_action *out)
{
	int	 i;

	for (i = 0; i < GW_ACT_COUNT; i++)
		if (strcmp(s, action_names[i]) == 0) {
			*out = (enum gw_action)i;
			return 0;
		}
	return -1;
}

#define F(s)	(1u << (s))
#define OPEN	(F(GW_ST_SUBMITTED) | F(GW_ST_UNDER_REVIEW) | \
		 F(GW_ST_INFO_REQUESTED))
#define LIVE	(F(GW_ST_APPROVED) | F(GW_ST_SUSPENDED))

static const struct row {
	unsigned	 from;		/* set of statuses */
	enum gw_action	 action;
	int		 pending;	/* -1 any, 0 none pending, 1 pending */
	enum gw_status	 to;
	enum gw_role	 role;
	const char	*decision;
	int		 sets_pending;
} table[] = {
	{ F(GW_ST_SUBMITTED) | F(GW_ST_UNDER_REVIEW), GW_ACT_REQUEST_INFO, -1,
	    GW_ST_INFO_REQUESTED, GW_ROLE_REVIEWER, NULL, 0 },
	{ F(GW_ST_SUBMITTED) | F(GW_ST_UNDER_REVIEW), GW_ACT_APPROVE, 0,
	    GW_ST_UNDER_REVIEW, GW_ROLE_REVIEWER, NULL, 1 },
	{ F(GW_ST_UNDER_REVIEW), GW_ACT_APPROVE, 1,
	    GW_ST_APPROVED, GW_ROLE_REVIEWER, "approve", 0 },
	{ OPEN, GW_ACT_REJECT, -1,
	    GW_ST_REJECTED, GW_ROLE_REVIEWER, "reject", 0 },
	{ F(GW_ST_APPROVED), GW_ACT_SUSPEND, -1,
	    GW_ST_SUSPENDED, GW_ROLE_REVIEWER, "suspend", 0 },
	{ F(GW_ST_SUSPENDED), GW_ACT_REINSTATE, -1,
	    GW_ST_APPROVED, GW_ROLE_REVIEWER, "reinstate", 0 },
	{ LIVE, GW_ACT_REVOKE, -1,
	    GW_ST_REVOKED, GW_ROLE_REVIEWER, "revoke", 0 },
	{ LIVE, GW_ACT_WITHDRAW, -1,
	    GW_ST_WITHDRAWN, GW_ROLE_SUBMITTER, "withdraw", 0 },
	{ OPEN, GW_ACT_WITHDRAW, -1,
	    GW_ST_WITHDRAWN, GW_ROLE_SUBMITTER, NULL, 0 },
	{ F(GW_ST_INFO_REQUESTED), GW_ACT_AMEND, -1,
	    GW_ST_UNDER_REVIEW, GW_ROLE_SUBMITTER, NULL, 0 },
	{ LIVE, GW_ACT_EXPIRE, -1,
	    GW_ST_EXPIRED, GW_ROLE_PUBLIC, NULL, 0 },
};

int
gw_lifecycle_step(enum gw_status from, enum gw_action a, int pending,
    struct gw_step *out)
{
	size_t	 i;

	if ((unsigned)from >= GW_ST_COUNT)
		return -1;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].action != a || !(table[i].from & F(from)))
			continue;
		if (table[i].pending >= 0 && table[i].pending != (pending != 0))
			continue;
		out->to = table[i].to;
		out->role = table[i].role;
		out->decision = table[i].decision;
		out->pending = table[i].sets_pending;
		return 0;
	}
	return -1;
}
