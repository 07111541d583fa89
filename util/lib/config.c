// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: reading guest configuration (/etc/vservers/NAME/...).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvserver.h"

int vs_guest_name(const char *confdir, uint32_t xid, char *buf, size_t len)
{
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	if (!confdir)
		confdir = VS_CONFDIR;
	d = opendir(confdir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[4096];
		unsigned long x;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/context", confdir,
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%lu", &x) == 1 && x == xid) {
			snprintf(buf, len, "%s", de->d_name);
			ret = 0;
		}
		fclose(f);
		if (!ret)
			break;
	}
	closedir(d);
	return ret;
}
