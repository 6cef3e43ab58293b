/*
 * gw_svc_int.h: private to gw_svc*.c: the service struct and helpers
 * shared by its files.  Not a public interface (gw_svc.h is).
 */
#ifndef GW_SVC_INT_H
#define GW_SVC_INT_H

#include <pthread.h>

#include "gw.h"
#include "gw_jdec.h"
#include "gw_svc.h"
#include "st.h"
#include "tl.h"


/* One recognition in the relying-party cache. */
struct gw_rcache_ent {
	char		*id;
	char		*dossier;
	char		*decision;
	char		*legal_name;
	char		*country;
	enum gw_status	 status;
	time_t		 not_before;
	time_t		 not_after;
	char		**types;	/* NULL-terminated */
	char		**scenarios;	/* NULL-terminated */
	char		(*fps)[65];	/* CA certificate SHA-256s */
	size_t		 nfps;
};

struct gw_svc {
	struct st_db		*db;
	struct gw_policy	*policy;
	struct val_profile	**profiles;
	size_t			 nprofiles;
	struct tl_set		 tl;	/* the verified trust-list cache */
	int			 tl_configured;
	const struct gw_signer	*signer;

	pthread_rwlock_t	 rc_lock;	/* guards the cache below */
	int			 rc_valid;
	unsigned long		 rc_gen;	/* gw_svc_recognition_gen() */
	struct gw_rcache_ent	*rc;
	size_t			 nrc;
};

/* A new random id "<prefix>_" + 32 hex into buf (GW_ID_MAX). 0 or -1. */
int	 gw_svc_newid(const char *prefix, char buf[GW_ID_MAX]);
/* 1 when s looks like an id with this prefix. */
int	 gw_svc_id_ok(const char *s, const char *prefix);
/* Store failure: 500 with the store's message. */
enum gw_svc_status gw_svc_st_err(struct gw_svc_err *, struct st_tx *,
	    const char *what);
enum gw_svc_status gw_svc_oom(struct gw_svc_err *);
/* Begins a store transaction into *tx; on failure a 500 naming why. */
enum gw_svc_status gw_svc_begin(struct gw_svc *, int write, struct st_tx **,
	    struct gw_svc_err *);
/* Commits tx (ended either way); on failure drops *out (out may be NULL)
 * and sets a 500. */
enum gw_svc_status gw_svc_commit(struct st_tx *, json_t **out,
	    struct gw_svc_err *);
/* Checks the actor's strings; GW_SVC_OK or GW_SVC_FORBIDDEN. */
enum gw_svc_status gw_svc_actor_ok(const struct gw_actor *,
	    struct gw_svc_err *);
/* May the actor see dossier d?  Reviewers and admins: yes; submitters:
 * their tenant's. */
int	 gw_svc_can_see(const struct gw_actor *, const struct st_dossier *);
/* Reads dossier id into d (st_dossier_clear() it) when the actor may see
 * it; else a 404 (also for another tenant's) or a 500. */
enum gw_svc_status gw_svc_dossier_load(struct st_tx *, const struct gw_actor *,
	    const char *id, struct st_dossier *, struct gw_svc_err *);
/* Compact JSON text of o (steals o; NULL-safe); owned, or NULL. */
char	*gw_svc_dump(json_t *o);
/* RFC 3339 string of t as a new JSON string. */
json_t	*gw_svc_time_json(time_t);
/* The dossier view of gw_svc_dossier_get (read inside tx). */
enum gw_svc_status gw_svc_dossier_view(struct st_tx *,
	    const struct st_dossier *, json_t **out, struct gw_svc_err *);
/* Invalidates the recognition cache (after a commit that changed one). */
void	 gw_svc_rcache_invalidate(struct gw_svc *);
void	 gw_svc_rcache_free(struct gw_svc *);

#endif /* GW_SVC_INT_H */
