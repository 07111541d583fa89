// SPDX-License-Identifier: GPL-2.0
/*
 * vserver NAME enter | exec CMD... | suexec USER CMD...
 *
 * Join a running guest without a pid file: its cgroup, then the spaces
 * its context holds (namespaces and root), then the context itself; a
 * child started from there is inside the guest's pid namespace too.
 *
 * The command never gets a descriptor of the admin's terminal: where our
 * stdin, stdout or stderr is one, it gets a pseudo-terminal of its own,
 * and we relay between the two until it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/close_range.h>

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

/* ---- the command's own terminal ---- */

/* At most this much of what the command left on its terminal is shown. */
#define DRAIN_MAX	(256 * 1024)

struct relay {
	bool tty[3];		/* which of our fds 0, 1, 2 are terminals */
	int ours;		/* our first terminal (modes, size), or -1 */
	int in, out;		/* what we relay from and to, or -1 */
	int host_ptmx;		/* a master of the host's devpts, or -1 */
	int master, slave;	/* the command's terminal, or -1 */
	int sigfd;		/* the signals below */
	sigset_t oldmask;	/* for the child */
	bool raw;		/* fd 0 is in raw mode, saved restores it */
	struct termios saved;
};

static const int relay_signals[] = {
	SIGCHLD, SIGWINCH, SIGINT, SIGQUIT, SIGTERM, SIGHUP,
};

/*
 * Before entering the guest: which of our fds are terminals, and a
 * master of the host's devpts for a guest without a usable one.
 */
static void relay_init(struct relay *r)
{
	pid_t fg;
	int fd;

	r->ours = r->in = r->out = -1;
	r->host_ptmx = r->master = r->slave = r->sigfd = -1;
	r->raw = false;
	for (fd = 2; fd >= 0; fd--) {
		r->tty[fd] = isatty(fd);
		if (r->tty[fd])
			r->ours = fd;
	}
	if (r->ours < 0)
		return;
	r->out = r->tty[1] ? 1 : r->tty[2] ? 2 : -1;
	/* Keys, unless we are a background job of that terminal. */
	if (r->tty[0]) {
		fg = tcgetpgrp(0);
		if (fg < 0 || fg == getpgrp())
			r->in = 0;
	}
	r->host_ptmx = open("/dev/ptmx",
			    O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
}

/*
 * The slave of @master, opened through it, or -errno if @master is not
 * the master of a pseudo-terminal.  The guest may have put anything at
 * its /dev/ptmx, and its /dev/pts is its own: no path is followed.
 */
static int pty_peer(int master)
{
	struct stat st;
	unsigned int n;
	int fd;

	if (fstat(master, &st))
		return -errno;
	/* ptmx is 5:2, on a devpts or elsewhere */
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		return -ENOTTY;
	if (ioctl(master, TIOCGPTN, &n) || unlockpt(master))
		return -errno;
	fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void relay_winsize(struct relay *r)
{
	struct winsize ws;

	if (!ioctl(r->ours, TIOCGWINSZ, &ws))
		ioctl(r->master, TIOCSWINSZ, &ws);
}

/*
 * Inside the guest: the command's terminal from the guest's devpts, else
 * from the host's; it starts with our terminal's modes and size.
 */
static int relay_open(struct relay *r)
{
	struct termios t;
	int fd, ret;

	if (r->ours < 0)
		return 0;
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	ret = fd < 0 ? -errno : pty_peer(fd);
	if (ret < 0 && r->host_ptmx >= 0) {
		if (fd >= 0)
			close(fd);
		fd = r->host_ptmx;
		r->host_ptmx = -1;
		ret = pty_peer(fd);
	}
	if (r->host_ptmx >= 0)
		close(r->host_ptmx);
	r->host_ptmx = -1;
	if (ret < 0) {
		if (fd >= 0)
			close(fd);
		return ret;
	}
	r->master = fd;
	r->slave = ret;
	if (!tcgetattr(r->ours, &t))
		tcsetattr(r->master, TCSANOW, &t);
	relay_winsize(r);
	return 0;
}

/* Our signals come through sigfd; the child gets the old mask back. */
static int relay_block_signals(struct relay *r)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(relay_signals) / sizeof(relay_signals[0]); i++)
		sigaddset(&set, relay_signals[i]);
	/* An inherited SIG_IGN would reap the child before we see it. */
	signal(SIGCHLD, SIG_DFL);
	if (sigprocmask(SIG_BLOCK, &set, &r->oldmask))
		return -errno;
	r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return r->sigfd < 0 ? -errno : 0;
}

/* In the child: a session of its own, on its own terminal if it has one. */
static int relay_child(struct relay *r)
{
	int fd;

	sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
	if (setsid() < 0)
		return -errno;
	if (r->slave < 0)
		return 0;
	if (ioctl(r->slave, TIOCSCTTY, 0))
		return -errno;
	for (fd = 0; fd < 3; fd++)
		if (r->tty[fd] && dup2(r->slave, fd) < 0)
			return -errno;
	close(r->slave);
	return 0;
}

static void relay_restore(struct relay *r)
{
	if (r->raw)
		tcsetattr(0, TCSANOW, &r->saved);
	r->raw = false;
}

/* Write all of buf to our terminal; on an error stop writing to it. */
static void relay_write(struct relay *r, const char *buf, size_t len)
{
	struct pollfd p = { .fd = r->out, .events = POLLOUT };
	ssize_t n;

	while (r->out >= 0 && len) {
		n = write(r->out, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			poll(&p, 1, -1);
		} else if (n == 0 || errno != EINTR) {
			r->out = -1;
		}
	}
}

/*
 * Show what the command wrote: how much, 0 if nothing is there now, -1
 * once no slave is open (EIO).
 */
static ssize_t relay_output(struct relay *r)
{
	char buf[4096];
	ssize_t n;

	n = read(r->master, buf, sizeof(buf));
	if (n > 0)
		relay_write(r, buf, (size_t)n);
	else if (n < 0 && (errno == EAGAIN || errno == EINTR))
		n = 0;
	else
		n = -1;
	return n;
}

/* After the exit: what the command left, not what others still write. */
static void relay_drain(struct relay *r)
{
	size_t total = 0;
	ssize_t n;

	while (total < DRAIN_MAX && (n = relay_output(r)) > 0)
		total += (size_t)n;
}

/*
 * In the parent: relay between our terminal and the command's until the
 * command exits; returns its wait status, or -1.  Keys go to the command
 * raw (Ctrl-C included), its output to our stdout, else our stderr if
 * that is a terminal.  SIGINT and SIGQUIT are passed on to the command's
 * process group; SIGTERM and SIGHUP end us with our terminal restored.
 */
static int relay_run(struct relay *r, pid_t pid)
{
	struct signalfd_siginfo si;
	struct pollfd p[3];
	struct termios t;
	size_t len = 0;
	char keys[1024];
	int master = r->master, status;
	ssize_t n;

	if (r->in >= 0 && !tcgetattr(0, &r->saved)) {
		t = r->saved;
		cfmakeraw(&t);
		r->raw = !tcsetattr(0, TCSANOW, &t);
	}
	for (;;) {
		p[0] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = len ? -1 : r->in,
					.events = POLLIN };
		p[2] = (struct pollfd){ .fd = master, .events = POLLIN };
		if (len)
			p[2].events |= POLLOUT;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents) {
			n = read(r->in, keys, sizeof(keys));
			if (n > 0)
				len = (size_t)n;
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				r->in = -1;
		}
		if (len && master >= 0) {
			n = write(master, keys, len);
			if (n > 0) {
				memmove(keys, keys + n, len - (size_t)n);
				len -= (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				len = 0;
			}
		}
		/* Once no slave is open, we only wait for the exit. */
		if (p[2].revents && relay_output(r) < 0)
			master = -1;
		if (!p[0].revents)
			continue;
		while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
			switch (si.ssi_signo) {
			case SIGWINCH:
				relay_winsize(r);
				break;
			case SIGINT:
			case SIGQUIT:
				kill(-pid, (int)si.ssi_signo);
				break;
			case SIGTERM:
			case SIGHUP:
				relay_restore(r);
				signal((int)si.ssi_signo, SIG_DFL);
				sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
				raise((int)si.ssi_signo);
				_exit(128 + (int)si.ssi_signo);
			}
		}
		n = waitpid(pid, &status, WNOHANG);
		if (n == 0 || (n < 0 && errno == EINTR))
			continue;
		if (n == pid && master >= 0)
			relay_drain(r);
		relay_restore(r);
		return n == pid ? status : -1;
	}
	relay_restore(r);
	return -1;
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
	struct relay r;
	int status, ret;
	pid_t pid;

	if (!guest_running(cli, g)) {
		guest_msg(cli, "not running");
		return EXIT_STOPPED;
	}
	relay_init(&r);
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
	ret = relay_open(&r);
	if (ret) {
		report_errno(ret, "no pseudo-terminal for the command in %s",
			     g->name);
		return EXIT_FAILURE;
	}
	ret = relay_block_signals(&r);
	if (ret) {
		report_errno(ret, "signalfd");
		return EXIT_FAILURE;
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

		ret = relay_child(&r);
		if (ret) {
			report_errno(ret, "cannot set up its terminal");
			_exit(EXIT_FAILURE);
		}
		if (setgroups((size_t)n, groups) || setgid(u.gid) ||
		    setuid(u.uid)) {
			report_errno(-errno, "cannot become %s", u.name);
			_exit(EXIT_FAILURE);
		}
		if (chdir(u.home))
			ret = chdir("/");
		guest_env(u.home, u.shell, u.name);
		/* Nothing else of ours (a terminal on fd 3, ...) goes in. */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
		if (!argv) {
			char *sh[] = { u.shell, "-l", NULL };

			if (access(u.shell, X_OK))
				sh[0] = "/bin/sh";
			exec_command(sh);
		}
		exec_command(argv);
	}
	if (r.slave >= 0)
		close(r.slave);
	/* Ctrl-C and Ctrl-\ are for the command, not for us. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	status = relay_run(&r, pid);
	if (status < 0)
		return EXIT_FAILURE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

#define TERMINAL_HELP \
"\n" \
"It runs in a session of its own and never gets vserver's terminal:\n" \
"where stdin, stdout or stderr is one, it runs on a pseudo-terminal of\n" \
"its own, and vserver relays (see vserver(8)).\n"

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
"the running guest: its namespaces, root, context and cgroup.\n"
TERMINAL_HELP);

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
"passed on (126/127 if it cannot be run).\n"
TERMINAL_HELP);

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
"guest's /etc/passwd), with that user's groups, home and shell.\n"
TERMINAL_HELP);

	if (i + 1 >= argc)
		usage_error("suexec needs a user and a command");
	load_guest(cli, &g);
	return run_in_guest(cli, &g, argv[i], argv + i + 1);
}
