// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the command-line tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

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
