/* gw_cmd_validate.c: placeholder until its owner lands it. */
#include <stdio.h>

#include "gw.h"

int
gw_cmd_validate(int argc, char **argv)
{
	fprintf(stderr, "xbrg: '%s' is not built yet\n", argv[0]);
	return GW_EXIT_USAGE;
}
