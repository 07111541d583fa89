// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the command-line tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		tool_name);
	exit(EXIT_USAGE);
}

const char *vs_strerror(int err)
{
	if (err == -ENOSYS)
		return "kernel has no vserver support (sys_vserver missing)";
	return strerror(-err);
}

void report_errno(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", vs_strerror(err));
}

void print_version(void)
{
	printf("%s from vserver %s\n", tool_name, VSERVER_VERSION);
	exit(EXIT_SUCCESS);
}

void exec_command(char *const argv[])
{
	int err;

	execvp(argv[0], argv);
	err = errno;
	fprintf(stderr, "%s: cannot run '%s': %s\n", tool_name, argv[0],
		strerror(err));
	exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

uint32_t parse_id_arg(const char *arg, const char *what)
{
	uint32_t id;

	if (!strcmp(arg, "self"))
		return VX_ID_SELF;
	if (vs_parse_xid(arg, &id, 0))
		usage_error("invalid %s '%s' (expected 2..65535 or 'self')",
			    what, arg);
	return id;
}

void parse_change_list(const char *arg, const char *what,
		       int (*lookup)(const char *, uint64_t *),
		       struct change *c)
{
	if (vs_parse_list(arg, lookup, &c->set, &c->mask))
		usage_error("unknown %s in '%s'", what, arg);
}
