/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver: the admin tool.  One table of subcommands (vserver.c), one file
 * per group: build/delete (vserver-build.c), start/stop/restart and the
 * reboot helper (vserver-start.c), enter/exec/suexec (vserver-exec.c),
 * status/running/list (vserver-status.c).
 */
#ifndef VSERVER_ADMIN_H
#define VSERVER_ADMIN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libvserver.h"

#define EXIT_STOPPED	3	/* status: the guest is not running (LSB) */

struct cli {
	const char *confroot;	/* --confdir, $VSERVER_CONFDIR, /etc/vservers */
	const char *rundir;	/* --rundir, $VSERVER_RUNDIR, /run/vservers */
	const char *name;	/* the guest, NULL for list */
	bool json;
	bool verbose;
};

struct subcommand {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	bool needs_name;
	const char *summary;
};

/* Every subcommand; argv[0] is the subcommand's name. */
int cmd_build(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_start(struct cli *cli, int argc, char **argv);
int cmd_stop(struct cli *cli, int argc, char **argv);
int cmd_restart(struct cli *cli, int argc, char **argv);
int cmd_enter(struct cli *cli, int argc, char **argv);
int cmd_exec(struct cli *cli, int argc, char **argv);
int cmd_suexec(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_running(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);

/* The kernel's reboot helper: "vshelper ACTION XID" (vserver-start.c). */
int vshelper_main(int argc, char **argv);

/* ---- shared helpers (vserver.c) ---- */

/* Load and validate the guest; on error report every bad file, exit 1. */
void load_guest(struct cli *cli, struct vs_guest *g);
/* The guest's run directory RUNDIR/NAME. */
void run_path(struct cli *cli, const char *name, const char *file,
	      char *buf, size_t len);
/* The guest's cgroup directory, or "" if cgroup v2 is not available. */
void cgroup_path(const char *name, char *buf, size_t len);
/* True if the guest's context exists and was started from its config. */
bool guest_running(struct cli *cli, const struct vs_guest *g);
/* Write a string to a file (sysfs, cgroupfs, run dir); -errno. */
int write_file(const char *path, const char *s);
/* Read the first line of a file; -errno. */
int read_line(const char *path, char *buf, size_t len);
/* Run argv, wait; its exit status (or 128+signal), -errno if not run. */
int run_wait(char *const argv[], bool quiet);
/* Put the calling process into the guest's cgroup (if it has one). */
int join_cgroup(const char *name);
/* Join the guest's network context (nid = xid) if it has one. */
int join_network(uint32_t xid);
/* Wait up to @seconds for context @xid to end; 0 if it did. */
int wait_context_end(uint32_t xid, int seconds);
/* Print "vserver: NAME: message" to stderr. */
void __attribute__((format(printf, 2, 3)))
guest_msg(const struct cli *cli, const char *fmt, ...);
/* What ps shows as this process's command line (at most its argv). */
void set_proc_title(const char *title);
/* JSON: a string with escapes. */
void json_string(const char *s);

#endif /* VSERVER_ADMIN_H */
