// SPDX-License-Identifier: GPL-2.0
/*
 * vps - ps(1) with a CONTEXT column: the xid and guest of every process.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vps";

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vps [PS-OPTION...]\n"
"\n"
"Run ps(1) with the given options and add a CONTEXT column after PID:\n"
"the xid of each process and the guest it belongs to (from\n"
"/etc/vservers/NAME/context; MAIN for the host, ALL_PROCS for the\n"
"spectator).  On the host, ps sees the processes of every context.\n"
"\n"
"Options (before any ps option):\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: that of ps; 1 if it cannot be run or prints no PID column.\n");
	exit(EXIT_SUCCESS);
}

static void context_label(pid_t pid, char *buf, size_t len)
{
	char name[64];
	long xid = vs_task_xid(pid);

	if (xid < 0)
		snprintf(buf, len, "?");
	else if (xid == VX_ID_HOST)
		snprintf(buf, len, "0 MAIN");
	else if (xid == VX_ID_SPECTATOR)
		snprintf(buf, len, "1 ALL_PROCS");
	else if (!vs_guest_name(NULL, (uint32_t)xid, name, sizeof(name)))
		snprintf(buf, len, "%ld %s", xid, name);
	else
		snprintf(buf, len, "%ld", xid);
}

/*
 * Index of the character just after the @col'th (0-based) whitespace
 * separated field of @line, or -1.
 */
static long field_end(const char *line, int col, long *start)
{
	const char *p = line;
	int i;

	for (i = 0; ; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			return -1;
		if (i == col)
			*start = p - line;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (i == col)
			return p - line;
	}
}

int main(int argc, char **argv)
{
	char line[8192], label[96];
	int fds[2], status, pidcol = -1;
	bool header = true;
	FILE *out;
	pid_t ps;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		usage();
	if (argc > 1 && (!strcmp(argv[1], "-V") ||
			 !strcmp(argv[1], "--version")))
		print_version();

	if (pipe(fds)) {
		report_errno(-errno, "pipe");
		return EXIT_FAILURE;
	}
	ps = fork();
	if (ps < 0) {
		report_errno(-errno, "fork");
		return EXIT_FAILURE;
	}
	if (ps == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		argv[0] = "ps";
		exec_command(argv);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	if (!out) {
		report_errno(-errno, "fdopen");
		return EXIT_FAILURE;
	}
	while (fgets(line, sizeof(line), out)) {
		long start = 0, end;

		if (header) {
			int col;

			header = false;
			for (col = 0; (end = field_end(line, col, &start)) >= 0;
			     col++) {
				if (end - start == 3 &&
				    !strncmp(line + start, "PID", 3)) {
					pidcol = col;
					break;
				}
			}
			if (pidcol < 0) {
				fputs(line, stdout);
				continue;
			}
			printf("%.*s %-14s%s", (int)end, line, "CONTEXT",
			       line + end);
			continue;
		}
		end = pidcol < 0 ? -1 : field_end(line, pidcol, &start);
		if (end < 0 || !isdigit((unsigned char)line[start])) {
			fputs(line, stdout);
			continue;
		}
		context_label((pid_t)strtol(line + start, NULL, 10), label,
			      sizeof(label));
		printf("%.*s %-14s%s", (int)end, line, label, line + end);
	}
	fclose(out);
	if (waitpid(ps, &status, 0) != ps)
		return EXIT_FAILURE;
	if (pidcol < 0 && !header) {
		fprintf(stderr, "%s: ps printed no PID column\n", tool_name);
		return EXIT_FAILURE;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAILURE;
}
