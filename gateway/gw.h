/*
 * gw.h: the gateway's public interface: the command-line entry points and
 * the helpers every command and HTTP handler shares.  gw_* calls val_*,
 * tl_* and st_*; none of those calls back.
 */
#ifndef GW_H
#define GW_H

#include <jansson.h>

#include "val.h"

/* Command-line entry points: argv[0] is the command's own name. Each
 * returns the process exit code (0 ok, 1 negative result, 2 usage). */
int	gw_cmd_lint(int, char **);
int	gw_cmd_validate(int, char **);
int	gw_cmd_tl(int, char **);
int	gw_cmd_serve(int, char **);
int	gw_cmd_audit(int, char **);
int	gw_cmd_verify_decision(int, char **);
/* `xbrg tl status` (gw_tl_status.c), called by the tl dispatcher. */
int	gw_tl_status(int, char **);

/* Exit codes shared by every command. */
#define GW_EXIT_OK	0
#define GW_EXIT_NEG	1	/* invalid, failed, not granted */
#define GW_EXIT_USAGE	2	/* usage error or unreadable input */

/*
 * Renders findings as a JSON array of {"code","severity","cite","message",
 * "where"} ("detail" when present).  Returns a new reference or NULL.
 */
json_t	*gw_json_findings(const struct val_report *);
/* Prints v to stdout, indented, with a final newline; steals v. Returns 0
 * or -1. */
int	 gw_json_print(json_t *);
/* Parses an RFC 3339 --at argument or prints a usage error naming it. */
int	 gw_parse_at(const char *cmd, const char *arg, time_t *);

#endif /* GW_H */
