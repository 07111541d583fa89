/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the command-line tools: reporting and exit codes.
 */
#ifndef VSERVER_TOOL_H
#define VSERVER_TOOL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_USAGE	2	/* bad command line */
#define EXIT_CANNOT_RUN	126	/* command found but not executable */
#define EXIT_NOT_FOUND	127	/* command not found */

#ifndef VSERVER_VERSION
#define VSERVER_VERSION "0.1"
#endif

extern const char *tool_name;

/* "Try 'TOOL --help' for more information." and exit 2. */
void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...);

/* Print "TOOL: message: strerror(-err)" to stderr. */
void __attribute__((format(printf, 2, 3)))
report_errno(int err, const char *fmt, ...);

void __attribute__((noreturn)) print_version(void);

/* Exec argv; on failure report and exit 126/127. */
void __attribute__((noreturn)) exec_command(char *const argv[]);

/*
 * An --xid/--nid argument: "self" (VX_ID_SELF) or 2..65535; anything else
 * is a usage error naming @what ("xid", "nid").
 */
uint32_t parse_id_arg(const char *arg, const char *what);

/* A change of a flag or capability word: new = (old & ~mask) | set. */
struct change {
	uint64_t set, mask;
};

/* Add a "NAME[,~NAME...]" list to @c; an unknown name is a usage error. */
void parse_change_list(const char *arg, const char *what,
		       int (*lookup)(const char *, uint64_t *),
		       struct change *c);

/* Explain an error of a vserver syscall, or the missing kernel support. */
const char *vs_strerror(int err);

#endif /* VSERVER_TOOL_H */
