// SPDX-License-Identifier: GPL-2.0
/*
 * vserver NAME status | running, and vserver list.
 *
 * JSON (--json), schema 1; fields are only ever added:
 *   status: {"schema":1,"name":S,"context":N,"running":B,"init_pid":N,
 *            "tasks":N,"vdir":S,"style":S,"mark":S,"addresses":[S...]}
 *   list:   {"schema":1,"guests":[{"name":S,"context":N,"running":B,
 *            "vdir":S,"mark":S}...]}
 * context is 0 when none is configured; init_pid and tasks are 0 for a
 * stopped guest; init_pid is in the caller's pid namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"
#include "vserver.h"

static void parse_json(struct cli *cli, int argc, char **argv,
		       const char *help)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'h':
			fputs(help, stdout);
			exit(EXIT_SUCCESS);
		default:
			usage_error("invalid option for %s", argv[0]);
		}
	}
	if (optind < argc)
		usage_error("%s takes no arguments", argv[0]);
}

static void json_addresses(struct cli *cli, const char *name)
{
	char path[VS_PATH_MAX], line[160], addr[96];
	const char *sep = "";
	FILE *f;

	printf("\"addresses\":[");
	run_path(cli, name, "addresses", path, sizeof(path));
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%95s", addr) != 1)
			continue;
		printf("%s", sep);
		json_string(addr);
		sep = ",";
	}
	if (f)
		fclose(f);
	putchar(']');
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	struct vcmd_vx_info info = { 0 };
	struct vcmd_ctx_stat st = { 0 };
	struct vs_guest g;
	bool running;

	parse_json(cli, argc, argv,
"Usage:\n"
" vserver [options] NAME status [--json]\n"
"\n"
"Say whether NAME runs.  Exit status 0 if it runs, 3 if it is stopped,\n"
"1 on errors (e.g. no such guest).  --json prints one object, see\n"
"vserver(8) for the schema.\n");
	load_guest(cli, &g);
	running = guest_running(cli, &g);
	if (running) {
		vs_vx_info(g.xid, &info);
		vs_ctx_stat(g.xid, &st);
	}
	if (cli->json) {
		printf("{\"schema\":1,\"name\":");
		json_string(g.name);
		printf(",\"context\":%u,\"running\":%s,\"init_pid\":%u,\"tasks\":%u,\"vdir\":",
		       g.xid, running ? "true" : "false", info.initpid,
		       st.tasks);
		json_string(g.vdir);
		printf(",\"style\":");
		json_string(g.style);
		printf(",\"mark\":");
		json_string(g.mark);
		putchar(',');
		json_addresses(cli, g.name);
		printf("}\n");
	} else if (running) {
		printf("Vserver '%s' is running at context '%u' (%u tasks, init pid %u)\n",
		       g.name, g.xid, st.tasks, info.initpid);
	} else {
		printf("Vserver '%s' is stopped\n", g.name);
	}
	return running ? EXIT_SUCCESS : EXIT_STOPPED;
}

int cmd_running(struct cli *cli, int argc, char **argv)
{
	struct vs_guest g;

	parse_json(cli, argc, argv,
"Usage:\n"
" vserver [options] NAME running\n"
"\n"
"Exit 0 if NAME runs, 3 if not; prints nothing.\n");
	load_guest(cli, &g);
	return guest_running(cli, &g) ? EXIT_SUCCESS : EXIT_STOPPED;
}

int cmd_list(struct cli *cli, int argc, char **argv)
{
	struct dirent **names;
	const char *sep = "";
	struct vs_guest g;
	int n, i;

	parse_json(cli, argc, argv,
"Usage:\n"
" vserver [options] list [--json]\n"
"\n"
"List the guests configured under the configuration root: name,\n"
"context, state, mark and root directory.\n");
	n = scandir(cli->confroot, &names, NULL, alphasort);
	if (n < 0) {
		if (errno != ENOENT) {
			report_errno(-errno, "cannot read %s", cli->confroot);
			return EXIT_FAILURE;
		}
		n = 0;
		names = NULL;
	}
	if (cli->json)
		printf("{\"schema\":1,\"guests\":[");
	else
		printf("%-20s %6s %-8s %-10s %s\n", "NAME", "CTX", "STATUS",
		       "MARK", "VDIR");
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		bool running;

		if (name[0] == '.' || !vs_valid_name(name) ||
		    vs_guest_peek(cli->confroot, name, &g)) {
			free(names[i]);
			continue;
		}
		running = guest_running(cli, &g);
		if (cli->json) {
			printf("%s{\"name\":", sep);
			json_string(g.name);
			printf(",\"context\":%u,\"running\":%s,\"vdir\":", g.xid,
			       running ? "true" : "false");
			json_string(g.vdir);
			printf(",\"mark\":");
			json_string(g.mark);
			putchar('}');
			sep = ",";
		} else {
			printf("%-20s %6u %-8s %-10s %s\n", g.name, g.xid,
			       running ? "running" : "stopped",
			       g.mark[0] ? g.mark : "-", g.vdir);
		}
		free(names[i]);
	}
	free(names);
	if (cli->json)
		printf("]}\n");
	return EXIT_SUCCESS;
}
