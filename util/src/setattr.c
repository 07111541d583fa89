// SPDX-License-Identifier: GPL-2.0
/*
 * setattr - set or clear the vserver inode attributes of files:
 * immutable, iunlink, barrier, cow.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "setattr";

static uint32_t set_flags, set_mask;
static int status = EXIT_SUCCESS;

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" setattr [options] --[~]ATTRIBUTE... FILE...\n"
"\n"
"Set or clear (with '~') vserver inode attributes.  Symbolic links are\n"
"not followed.\n"
"\n"
"Attributes:\n"
"     --immutable        nobody may change the file (FS_IMMUTABLE_FL)\n"
"     --iunlink          immutable, but the name may be unlinked or\n"
"                        renamed; a guest writing it gets a private copy\n"
"                        (alias --immu)\n"
"     --ixunlink         the unlink permission alone (alias\n"
"                        --iunlink-but-not-immutable)\n"
"     --barrier          directory no guest can enter (chroot barrier)\n"
"     --cow              like --ixunlink for regular files: break the\n"
"                        link on write\n"
"     --hide             /proc entry guests do not see\n"
"     --watch            with --hide, the spectator context sees it\n"
"     --admin            with --hide, the host sees it (it always does)\n"
"\n"
"Options:\n"
" -R, --recursive        descend into directories; attributes that do not\n"
"                        fit an entry's type are skipped for it\n"
" -x, --xdev             with -R, stay on one filesystem\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Needs CAP_LINUX_IMMUTABLE in the host context.  Exit status: 0 ok,\n"
"1 failure on some file, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

static int set_one(const char *path, bool recursive)
{
	uint32_t flags, valid, mask = set_mask;
	int ret;

	if (recursive) {
		ret = vs_get_iattr(path, &flags, &valid);
		if (ret)
			goto out_err;
		mask &= valid;
		if (!mask)
			return 0;
	}
	ret = vs_set_iattr(path, set_flags, mask);
	if (!ret)
		return 0;
out_err:
	report_errno(ret, "%s", path);
	status = EXIT_FAILURE;
	return ret == -ENOSYS || ret == -EPERM ? -1 : 0;
}

static int walk_fn(const char *path, const struct stat *st, int type,
		   struct FTW *ftw)
{
	if (type == FTW_NS || type == FTW_DNR) {
		report_errno(-EACCES, "%s", path);
		status = EXIT_FAILURE;
		return 0;
	}
	/* Stop at the first EPERM/ENOSYS: it will not be any better below. */
	return set_one(path, true) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "recursive",	no_argument, NULL, 'R' },
		{ "xdev",	no_argument, NULL, 'x' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ "immutable",	no_argument, NULL, 256 },
		{ "~immutable",	no_argument, NULL, 512 },
		{ "iunlink",	no_argument, NULL, 257 },
		{ "~iunlink",	no_argument, NULL, 513 },
		{ "immu",	no_argument, NULL, 257 },
		{ "~immu",	no_argument, NULL, 513 },
		{ "ixunlink",	no_argument, NULL, 258 },
		{ "~ixunlink",	no_argument, NULL, 514 },
		{ "iunlink-but-not-immutable", no_argument, NULL, 258 },
		{ "~iunlink-but-not-immutable", no_argument, NULL, 514 },
		{ "barrier",	no_argument, NULL, 259 },
		{ "~barrier",	no_argument, NULL, 515 },
		{ "cow",	no_argument, NULL, 260 },
		{ "~cow",	no_argument, NULL, 516 },
		{ "admin",	no_argument, NULL, 261 },
		{ "~admin",	no_argument, NULL, 517 },
		{ "watch",	no_argument, NULL, 262 },
		{ "~watch",	no_argument, NULL, 518 },
		{ "hide",	no_argument, NULL, 263 },
		{ "~hide",	no_argument, NULL, 519 },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = {
		"immutable", "iunlink", "ixunlink", "barrier", "cow",
		"admin", "watch", "hide",
	};
	bool recursive = false, xdev = false;
	int c, i;

	while ((c = getopt_long(argc, argv, "RxhV", longopts, NULL)) != -1) {
		uint32_t bits;

		switch (c) {
		case 'R':
			recursive = true;
			break;
		case 'x':
			xdev = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		case 256 ... 263:
		case 512 ... 519:
			vs_iattr_from_name(names[c & 0xff], &bits);
			set_mask |= bits;
			if (c < 512)
				set_flags |= bits;
			else
				set_flags &= ~bits;
			break;
		default:
			usage_error("invalid option");
		}
	}
	if (!set_mask)
		usage_error("no attribute given (e.g. --iunlink or --~barrier)");
	if (optind >= argc)
		usage_error("no file given");
	if (xdev && !recursive)
		usage_error("--xdev goes with --recursive");

	for (i = optind; i < argc; i++) {
		if (!recursive) {
			if (set_one(argv[i], false))
				break;
			continue;
		}
		if (nftw(argv[i], walk_fn, 64,
			 FTW_PHYS | (xdev ? FTW_MOUNT : 0)) == -1) {
			report_errno(-errno, "%s", argv[i]);
			status = EXIT_FAILURE;
		}
	}
	return status;
}
