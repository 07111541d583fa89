// SPDX-License-Identifier: GPL-2.0
/*
 * vserver NAME enter | exec CMD... | suexec USER CMD...
 *
 * Join a running guest without a pid file: its cgroup, then the spaces
 * its context holds (namespaces and root), then the context itself; a
 * child started from there is inside the guest's pid namespace too.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"
#include "vserver.h"

struct guest_user {
	uid_t uid;
	gid_t gid;
	char home[256];
	char shell[256];
	char name[64];
};

/* Look USER (name or number) up in the guest's /etc/passwd. */
static int guest_user(const char *user, struct guest_user *u)
{
	char line[1024], *f[7], *p, *end;
	unsigned long num;
	bool numeric;
	FILE *fp;
	int i;

	num = strtoul(user, &end, 10);
	numeric = *user && !*end;
	fp = fopen("/etc/passwd", "re");
	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		p = line;
		for (i = 0; i < 7; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (!p && i < 6)
				break;
			if (p)
				*p++ = 0;
		}
		if (i < 6)
			continue;
		if (numeric ? strtoul(f[2], NULL, 10) != num : strcmp(f[0], user))
			continue;
		u->uid = (uid_t)strtoul(f[2], NULL, 10);
		u->gid = (gid_t)strtoul(f[3], NULL, 10);
		snprintf(u->name, sizeof(u->name), "%s", f[0]);
		snprintf(u->home, sizeof(u->home), "%s", *f[5] ? f[5] : "/");
		snprintf(u->shell, sizeof(u->shell), "%s",
			 *f[6] ? f[6] : "/bin/sh");
		fclose(fp);
		return 0;
	}
	fclose(fp);
	return -ENOENT;
}

/* The user's supplementary groups from the guest's /etc/group. */
static int guest_groups(const struct guest_user *u, gid_t *groups, int max)
{
	char line[4096], *f[4], *p, *m, *save;
	int n = 0, i;
	FILE *fp;

	groups[n++] = u->gid;
	fp = fopen("/etc/group", "re");
	if (!fp)
		return n;
	while (n < max && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		p = line;
		for (i = 0; i < 4 && p; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = 0;
		}
		if (i < 4)
			continue;
		for (m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (!strcmp(m, u->name)) {
				groups[n++] = (gid_t)strtoul(f[2], NULL, 10);
				break;
			}
	}
	fclose(fp);
	return n;
}

static void guest_env(const char *home, const char *shell, const char *user)
{
	const char *term = getenv("TERM");
	char keep[64] = "";

	if (term)
		snprintf(keep, sizeof(keep), "%s", term);
	clearenv();
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       1);
	setenv("HOME", home, 1);
	setenv("SHELL", shell, 1);
	setenv("USER", user, 1);
	setenv("LOGNAME", user, 1);
	setenv("TERM", *keep ? keep : "linux", 1);
}

/*
 * Enter the guest and run argv (as @user if given) in a child; returns
 * the child's status.  Errors before the command runs exit 1.
 */
static int run_in_guest(struct cli *cli, const struct vs_guest *g,
			const char *user, char **argv)
{
	struct guest_user u = { .uid = 0, .gid = 0, .home = "/root",
				.name = "root" };
	int status, ret;
	pid_t pid;

	if (!guest_running(cli, g)) {
		guest_msg(cli, "not running");
		return EXIT_STOPPED;
	}
	ret = join_cgroup(g->name);
	if (ret) {
		report_errno(ret, "cannot join the cgroup of %s", g->name);
		return EXIT_FAILURE;
	}
	ret = vs_enter_space(g->xid, 0, 0);
	if (ret) {
		report_errno(ret, "cannot enter the namespaces of %s", g->name);
		return EXIT_FAILURE;
	}
	ret = join_network(g->xid);
	if (ret) {
		report_errno(ret, "cannot enter network context %u", g->xid);
		return EXIT_FAILURE;
	}
	ret = vs_ctx_migrate(g->xid, 0);
	if (ret) {
		report_errno(ret, "cannot enter context %u", g->xid);
		return EXIT_FAILURE;
	}
	snprintf(u.shell, sizeof(u.shell), "%s", g->shell);
	if (user) {
		ret = guest_user(user, &u);
		if (ret) {
			guest_msg(cli, "no user '%s' in the guest's /etc/passwd",
				  user);
			return EXIT_FAILURE;
		}
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		report_errno(-errno, "fork");
		return EXIT_FAILURE;
	}
	if (pid == 0) {
		gid_t groups[64];
		int n = guest_groups(&u, groups, 64);

		if (setgroups((size_t)n, groups) || setgid(u.gid) ||
		    setuid(u.uid)) {
			report_errno(-errno, "cannot become %s", u.name);
			_exit(EXIT_FAILURE);
		}
		if (chdir(u.home))
			ret = chdir("/");
		guest_env(u.home, u.shell, u.name);
		if (!argv) {
			char *sh[] = { u.shell, "-l", NULL };

			if (access(u.shell, X_OK))
				sh[0] = "/bin/sh";
			exec_command(sh);
		}
		exec_command(argv);
	}
	/* Ctrl-C and Ctrl-\ are for the command, not for us. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAILURE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int parse_help(int argc, char **argv, const char *text)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(text, stdout);
			exit(EXIT_SUCCESS);
		}
		usage_error("invalid option for %s", argv[0]);
	}
	return optind;
}

int cmd_enter(struct cli *cli, int argc, char **argv)
{
	struct vs_guest g;
	int i = parse_help(argc, argv,
"Usage:\n"
" vserver [options] NAME enter\n"
"\n"
"A root login shell (the guest's 'shell' file, default /bin/sh) inside\n"
"the running guest: its namespaces, root, context and cgroup.\n");

	if (i < argc)
		usage_error("enter takes no arguments (use exec)");
	load_guest(cli, &g);
	return run_in_guest(cli, &g, NULL, NULL);
}

int cmd_exec(struct cli *cli, int argc, char **argv)
{
	struct vs_guest g;
	int i = parse_help(argc, argv,
"Usage:\n"
" vserver [options] NAME exec COMMAND [ARG...]\n"
"\n"
"Run COMMAND as root inside the running guest; its exit status is\n"
"passed on (126/127 if it cannot be run).\n");

	if (i >= argc)
		usage_error("exec needs a command");
	load_guest(cli, &g);
	return run_in_guest(cli, &g, NULL, argv + i);
}

int cmd_suexec(struct cli *cli, int argc, char **argv)
{
	struct vs_guest g;
	int i = parse_help(argc, argv,
"Usage:\n"
" vserver [options] NAME suexec USER COMMAND [ARG...]\n"
"\n"
"Run COMMAND inside the running guest as USER (a name or uid of the\n"
"guest's /etc/passwd), with that user's groups, home and shell.\n");

	if (i + 1 >= argc)
		usage_error("suexec needs a user and a command");
	load_guest(cli, &g);
	return run_in_guest(cli, &g, argv[i], argv + i + 1);
}
