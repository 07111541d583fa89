// SPDX-License-Identifier: GPL-2.0
/*
 * showattr - show the vserver inode attributes of files.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "showattr";

static bool recursive, all, dirs_only;
static int status = EXIT_SUCCESS;

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" showattr [options] [FILE...]\n"
"\n"
"Show the vserver inode attributes of FILEs; of the entries of a\n"
"directory (default: the current one) unless -d is given.  Columns:\n"
"B barrier, U iunlink, I immutable, C cow: upper case set, lower case\n"
"clear, '-' cannot apply to this type of file.  Entries of /proc have\n"
"three more: A admin, W watch, H hide.\n"
"\n"
"Options:\n"
" -R, --recursive        list subdirectories recursively\n"
" -a, --all              include entries starting with '.'\n"
" -d, --directory        list directories themselves, not their entries\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 ok, 1 some file could not be read, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

static int show(const char *path)
{
	uint32_t flags, mask;
	char col[8];
	int ret = vs_get_iattr(path, &flags, &mask);

	if (ret) {
		report_errno(ret, "%s", path);
		status = EXIT_FAILURE;
		return ret;
	}
	vs_iattr_letters(flags, mask, col);
	printf("%s %s\n", col, path);
	return 0;
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISDIR(st.st_mode);
}

static void list_dir(const char *dir)
{
	struct dirent **ents;
	char path[PATH_MAX];
	int n, i;

	n = scandir(dir, &ents, NULL, cmp_names);
	if (n < 0) {
		report_errno(-errno, "%s", dir);
		status = EXIT_FAILURE;
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (!strcmp(name, ".") || !strcmp(name, "..") ||
		    (name[0] == '.' && !all))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		if (show(path) == 0 && recursive && is_dir(path)) {
			if (dirs_only)
				continue;
			list_dir(path);
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

/* -R -d: every directory below, itself included. */
static void walk_dirs(const char *dir)
{
	struct dirent **ents;
	char path[PATH_MAX];
	int n, i;

	if (show(dir))
		return;
	n = scandir(dir, &ents, NULL, cmp_names);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		snprintf(path, sizeof(path), "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		if (strcmp(name, ".") && strcmp(name, "..") &&
		    (name[0] != '.' || all) && is_dir(path))
			walk_dirs(path);
		free(ents[i]);
	}
	free(ents);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "recursive",	no_argument, NULL, 'R' },
		{ "all",	no_argument, NULL, 'a' },
		{ "directory",	no_argument, NULL, 'd' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *dot[] = { ".", NULL };
	char **files;
	int c;

	while ((c = getopt_long(argc, argv, "RadhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'R':
			recursive = true;
			break;
		case 'a':
			all = true;
			break;
		case 'd':
			dirs_only = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	files = optind < argc ? argv + optind : dot;
	for (; *files; files++) {
		if (!is_dir(*files)) {
			show(*files);
		} else if (dirs_only) {
			if (recursive)
				walk_dirs(*files);
			else
				show(*files);
		} else {
			list_dir(*files);
		}
	}
	return status;
}
