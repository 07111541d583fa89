// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun - the admin's terminal for tests/vm/vserver-tty.sh: run a
 * command on a fresh pseudo-terminal, as a terminal emulator would, and
 * print everything that appears on that terminal.
 *
 *   ptyrun [-i KEYS] [-l SECONDS] [-r ROWS,COLS] COMMAND [ARG...]
 *   ptyrun -S KEYS
 *
 * -i  KEYS are typed at the start ("\n" stands for Enter).
 * -l  Go on reading for SECONDS after COMMAND exited: what a process
 *     left behind writes to the terminal shows up too.
 * -r  The window changes from 24x80 to ROWS x COLS after one second.
 * -S  The attack: push KEYS into the input of the terminal on fd 0
 *     (TIOCSTI), as if typed there.
 *
 * Exit status: COMMAND's (128+signal), 124 if it ran longer than 60
 * seconds, 125 on a setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUN_MAX_MS	60000

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "ptyrun: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void __attribute__((noreturn)) usage(void)
{
	fputs("usage: ptyrun [-i KEYS] [-l SECONDS] [-r ROWS,COLS] COMMAND...\n"
	      "       ptyrun -S KEYS\n", stderr);
	exit(125);
}

/* KEYS with "\n" made a newline, in place; its length. */
static size_t keys(char *s)
{
	char *d = s, *p;

	for (p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			*d++ = '\n';
			p++;
		} else {
			*d++ = *p;
		}
	}
	*d = 0;
	return (size_t)(d - s);
}

static int inject(char *s)
{
	size_t i, n = keys(s);

	for (i = 0; i < n; i++)
		if (ioctl(0, TIOCSTI, &s[i]))
			fail("TIOCSTI");
	return 0;
}

static void copy_out(int master)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(master, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			fail("stdout");
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 }, later = { 0 };
	long start, end = -1, linger = 0, t;
	char *input = NULL;
	int master, slave, status = 0, c;
	struct pollfd p;
	pid_t pid;

	while ((c = getopt(argc, argv, "+i:l:r:S:")) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'l':
			linger = atol(optarg) * 1000;
			break;
		case 'r':
			if (sscanf(optarg, "%hu,%hu", &later.ws_row,
				   &later.ws_col) != 2)
				usage();
			break;
		case 'S':
			return inject(optarg);
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master))
		fail("/dev/ptmx");
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0 || ioctl(master, TIOCSWINSZ, &ws))
		fail("pty");
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) ||
		    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
		    dup2(slave, 2) < 0)
			fail("the command's terminal");
		close(slave);
		execvp(argv[optind], argv + optind);
		fail(argv[optind]);
	}
	/* We keep the slave open: no EIO on the master when COMMAND exits. */
	if (input) {
		size_t n = keys(input);

		if (write(master, input, n) != (ssize_t)n)
			fail("typing");
	}
	start = now_ms();
	p.fd = master;
	p.events = POLLIN;
	for (;;) {
		t = now_ms();
		if (later.ws_row && t - start >= 1000) {
			if (ioctl(master, TIOCSWINSZ, &later))
				fail("TIOCSWINSZ");
			later.ws_row = 0;
		}
		if (end < 0 && waitpid(pid, &status, WNOHANG) == pid) {
			status = WIFEXITED(status) ? WEXITSTATUS(status) :
				 128 + WTERMSIG(status);
			end = t + linger;
		}
		if (end < 0 && t - start > RUN_MAX_MS) {
			kill(pid, SIGKILL);
			status = 124;
			end = t;
		}
		copy_out(master);
		if (end >= 0 && t >= end)
			break;
		poll(&p, 1, 50);
	}
	return status;
}
