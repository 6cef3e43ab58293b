/*
 * gw_cmd_audit.c: xbrg audit verify --db PATH
 *
 * Walks the store's hash-chained audit log (st_audit_verify) and says
 * whether it is intact, naming the first broken entry.  Exit 0 intact,
 * 1 broken, 2 usage or unreadable store.  Opens the store read-only: it
 * never creates, migrates or writes.
 */
#include <stdio.h>
#include <string.h>

#include "gw.h"
#include "st.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: xbrg audit verify --db PATH\n"
	    "\n"
	    "Checks the gateway store's append-only audit log: every entry's\n"
	    "SHA-256 over its canonical encoding, the link to the previous\n"
	    "entry, contiguous sequence numbers and the recorded head.\n"
	    "Prints JSON {\"intact\",\"entries\",\"first_broken\",\"reason\"}.\n"
	    "Exit 0 intact, 1 broken (first broken entry named), 2 usage.\n");
}

int
gw_cmd_audit(int argc, char **argv)
{
	struct st_db		*db = NULL;
	struct st_tx		*tx = NULL;
	struct st_audit_check	 c;
	const char		*path = NULL;
	char			 err[512];
	json_t			*o;
	int			 i, rc = GW_EXIT_USAGE;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return GW_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "xbrg audit: expected 'verify'\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return GW_EXIT_OK;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			path = argv[++i];
		else {
			fprintf(stderr, "xbrg audit verify: unexpected "
			    "argument '%s'\n", argv[i]);
			usage(stderr);
			return GW_EXIT_USAGE;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "xbrg audit verify: --db PATH is required\n");
		usage(stderr);
		return GW_EXIT_USAGE;
	}
	if ((db = st_open(path, ST_OPEN_READONLY, err, sizeof(err))) == NULL) {
		/* SQLite's own messages do not always name the file. */
		if (strncmp(err, path, strlen(path)) == 0)
			fprintf(stderr, "xbrg audit verify: %s\n", err);
		else
			fprintf(stderr, "xbrg audit verify: %s: %s\n", path,
			    err);
		goto out;
	}
	if ((tx = st_begin(db, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xbrg audit verify: %s: %s\n", path, err);
		goto out;
	}
	if (st_audit_verify(tx, &c) != ST_OK) {
		fprintf(stderr, "xbrg audit verify: %s: %s\n", path,
		    st_tx_error(tx));
		goto out;
	}
	o = json_pack("{s:b, s:I}", "intact", c.first_broken == 0,
	    "entries", (json_int_t)c.entries);
	if (o == NULL)
		goto out;
	if (c.first_broken != 0) {
		json_object_set_new(o, "first_broken",
		    json_integer(c.first_broken));
		json_object_set_new(o, "reason", json_string(c.reason));
		fprintf(stderr, "xbrg audit verify: %s: entry %lld is "
		    "broken: %s\n", path, c.first_broken, c.reason);
	} else {
		json_object_set_new(o, "first_broken", json_null());
		json_object_set_new(o, "reason", json_null());
	}
	if (gw_json_print(o) != 0)
		goto out;
	rc = c.first_broken == 0 ? GW_EXIT_OK : GW_EXIT_NEG;
 out:
	st_rollback(tx);
	st_close(db);
	return rc;
}
