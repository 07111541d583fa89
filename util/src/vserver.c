// SPDX-License-Identifier: GPL-2.0
/*
 * vserver - build, start, stop, enter and inspect guests configured under
 * /etc/vservers/NAME/ (util-vserver's layout).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"
#include "vserver.h"

const char *tool_name = "vserver";

/* The memory of argv[], so a guest's fake init can show "init [3]". */
static char *title;
static size_t title_len;

void set_proc_title(const char *t)
{
	if (!title)
		return;
	memset(title, 0, title_len);
	snprintf(title, title_len, "%s", t);
}

static const struct subcommand subcommands[] = {
	{ "build",	cmd_build,	true,	"create a guest (config and root)" },
	{ "start",	cmd_start,	true,	"start the guest" },
	{ "stop",	cmd_stop,	true,	"stop the guest" },
	{ "restart",	cmd_restart,	true,	"stop, then start the guest" },
	{ "status",	cmd_status,	true,	"show whether it runs (exit 0 / 3)" },
	{ "running",	cmd_running,	true,	"exit 0 if running, 3 if not" },
	{ "enter",	cmd_enter,	true,	"a root shell inside the guest" },
	{ "exec",	cmd_exec,	true,	"run a command inside the guest" },
	{ "suexec",	cmd_suexec,	true,	"run a command as a guest user" },
	{ "delete",	cmd_delete,	true,	"remove config and root" },
	{ "list",	cmd_list,	false,	"list the configured guests" },
};

#define NR_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void __attribute__((noreturn)) usage(void)
{
	size_t i;

	printf(
"Usage:\n"
" vserver [options] NAME COMMAND [ARG...]\n"
" vserver [options] list\n"
"\n"
"Manage guests configured under /etc/vservers/NAME/ (one value per file,\n"
"defaults in /etc/vservers/.defaults/).\n"
"\n"
"Commands:\n");
	for (i = 0; i < NR_SUBCOMMANDS; i++)
		printf(" %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	printf(
"\n"
"Options:\n"
" -c, --confdir <dir>    configuration root (default $VSERVER_CONFDIR or\n"
"                        /etc/vservers)\n"
"     --rundir <dir>     run-time state (default $VSERVER_RUNDIR or\n"
"                        /run/vservers)\n"
" -j, --json             machine-readable output for list and status\n"
" -v, --verbose          show each step\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"'vserver NAME COMMAND --help' shows a command's options; see vserver(8)\n"
"and vserver-build(8).\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage error, 3 guest not running\n"
"(status, running); exec, enter and suexec pass on the command's status.\n");
	exit(EXIT_SUCCESS);
}

void guest_msg(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vserver: %s: ", cli->name ? cli->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void load_guest(struct cli *cli, struct vs_guest *g)
{
	char err[8192];
	int ret;

	ret = vs_guest_load(cli->confroot, cli->name, g, err, sizeof(err));
	if (ret == -ENOENT || ret == -ENOTDIR) {
		fprintf(stderr, "vserver: %s: no such guest (no directory %s/%s)\n",
			cli->name, vs_confroot(cli->confroot), cli->name);
		exit(EXIT_FAILURE);
	}
	if (ret == -EINVAL) {
		char *line, *save = NULL;

		for (line = strtok_r(err, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			fprintf(stderr, "vserver: %s\n", line);
		fprintf(stderr, "vserver: %s: bad configuration, nothing done\n",
			cli->name);
		exit(EXIT_FAILURE);
	}
	if (ret) {
		report_errno(ret, "cannot read the configuration of %s",
			     cli->name);
		exit(EXIT_FAILURE);
	}
}

void run_path(struct cli *cli, const char *name, const char *file,
	      char *buf, size_t len)
{
	if (file)
		snprintf(buf, len, "%s/%s/%s", cli->rundir, name, file);
	else
		snprintf(buf, len, "%s/%s", cli->rundir, name);
}

void cgroup_path(const char *name, char *buf, size_t len)
{
	const char *base = getenv("VSERVER_CGROUP");

	if (!base || !*base)
		base = "/sys/fs/cgroup/vservers";
	snprintf(buf, len, "%s/%s", base, name);
}

int write_file(const char *path, const char *s)
{
	size_t n = strlen(s);
	ssize_t w;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	w = write(fd, s, n);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != n)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int run_wait(char *const argv[], bool quiet)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
		}
		execvp(argv[0], argv);
		_exit(EXIT_NOT_FOUND);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int join_cgroup(const char *name)
{
	char path[VS_PATH_MAX];

	cgroup_path(name, path, sizeof(path));
	if (access(path, F_OK))
		return 0;
	strncat(path, "/cgroup.procs", sizeof(path) - strlen(path) - 1);
	return write_file(path, "0");
}

int join_network(uint32_t xid)
{
	struct vcmd_nx_info info;

	if (vs_nx_info(xid, &info))
		return 0;	/* the guest has no network context */
	return vs_net_migrate(xid);
}

bool guest_running(struct cli *cli, const struct vs_guest *g)
{
	char name[VHI_NAME_LEN];
	struct vcmd_vx_info info;

	if (!g->xid || vs_vx_info(g->xid, &info))
		return false;
	/* Another context may hold the xid: compare util-vserver's tag. */
	if (vs_get_vhi_name(g->xid, VHIN_CONTEXT, name, sizeof(name)))
		return false;
	return !strcmp(name, g->confdir) || !strcmp(name, g->name);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int wait_context_end(uint32_t xid, int seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct vcmd_wait_exit res;
	int ret;

	sigaction(SIGALRM, &sa, &old);	/* no SA_RESTART: EINTR */
	alarm((unsigned int)seconds);
	ret = vs_wait_exit(xid, &res);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	if (ret == -ESRCH)
		ret = 0;
	return ret;
}

void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const struct subcommand *find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(subcommands[i].name, name))
			return &subcommands[i];
	return NULL;
}

enum { OPT_RUNDIR = 256 };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "confdir",	required_argument,	NULL, 'c' },
		{ "rundir",	required_argument,	NULL, OPT_RUNDIR },
		{ "json",	no_argument,		NULL, 'j' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli cli = { 0 };
	const struct subcommand *sc;
	const char *env;
	int c;

	title = argv[0];
	title_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) - argv[0]);
	if (!strcmp(basename(argv[0]), "vshelper"))
		return vshelper_main(argc, argv);

	while ((c = getopt_long(argc, argv, "+c:jvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli.confroot = optarg;
			break;
		case OPT_RUNDIR:
			cli.rundir = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'v':
			cli.verbose = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	cli.confroot = vs_confroot(cli.confroot);
	if (!cli.rundir) {
		env = getenv("VSERVER_RUNDIR");
		cli.rundir = env && *env ? env : VS_RUNDIR;
	}
	argv += optind;
	argc -= optind;
	if (argc < 1)
		usage_error("no guest name given");

	sc = find_subcommand(argv[0]);
	if (sc && !sc->needs_name) {
		optind = 0;
		return sc->fn(&cli, argc, argv);
	}
	if (argc < 2)
		usage_error("no command given for guest '%s'", argv[0]);
	cli.name = argv[0];
	sc = find_subcommand(argv[1]);
	if (!sc || !sc->needs_name)
		usage_error("unknown command '%s'", argv[1]);
	if (!vs_valid_name(cli.name))
		usage_error("invalid guest name '%s' (letters, digits, '.', '_', '-'; at most 64)",
			    cli.name);
	optind = 0;	/* glibc: start over for the subcommand's options */
	return sc->fn(&cli, argc - 1, argv + 1);
}
