// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: inode attributes (get/set_iattr, fget/fset_iattr).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "libvserver.h"

int vs_get_iattr(const char *path, uint32_t *flags, uint32_t *mask)
{
	struct vcmd_iattr arg = { .name = (uintptr_t)path };
	int ret = vs_syscall(VCMD_get_iattr, 0, &arg);

	if (ret)
		return ret;
	*flags = arg.flags;
	if (mask)
		*mask = arg.mask;
	return 0;
}

int vs_set_iattr(const char *path, uint32_t flags, uint32_t mask)
{
	struct vcmd_iattr arg = {
		.name = (uintptr_t)path, .flags = flags, .mask = mask,
	};

	return vs_syscall(VCMD_set_iattr, 0, &arg);
}

int vs_fget_iattr(int fd, uint32_t *flags, uint32_t *mask)
{
	struct vcmd_fiattr arg = { 0 };
	int ret = vs_syscall(VCMD_fget_iattr, (uint32_t)fd, &arg);

	if (ret)
		return ret;
	*flags = arg.flags;
	if (mask)
		*mask = arg.mask;
	return 0;
}

int vs_fset_iattr(int fd, uint32_t flags, uint32_t mask)
{
	struct vcmd_fiattr arg = { .flags = flags, .mask = mask };

	return vs_syscall(VCMD_fset_iattr, (uint32_t)fd, &arg);
}

static const struct {
	const char *name;
	uint32_t bits;
} vs_iattr_names[] = {
	{ "immutable", IATTR_IMMUTABLE },
	{ "iunlink", IATTR_IXUNLINK | IATTR_IMMUTABLE },
	{ "immu", IATTR_IXUNLINK | IATTR_IMMUTABLE },
	{ "ixunlink", IATTR_IXUNLINK },
	{ "iunlink-but-not-immutable", IATTR_IXUNLINK },
	{ "barrier", IATTR_BARRIER },
	{ "cow", IATTR_COW },
	{ "admin", IATTR_ADMIN },
	{ "watch", IATTR_WATCH },
	{ "hide", IATTR_HIDE },
};

int vs_iattr_from_name(const char *name, uint32_t *bits)
{
	size_t i;

	for (i = 0; i < sizeof(vs_iattr_names) / sizeof(vs_iattr_names[0]);
	     i++) {
		if (!strcmp(name, vs_iattr_names[i].name)) {
			*bits = vs_iattr_names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

void vs_iattr_letters(uint32_t flags, uint32_t mask, char out[8])
{
	static const struct {
		uint32_t bit;
		char on, off;
	} col[] = {
		{ IATTR_BARRIER, 'B', 'b' },
		{ IATTR_IXUNLINK, 'U', 'u' },
		{ IATTR_IMMUTABLE, 'I', 'i' },
		{ IATTR_COW, 'C', 'c' },
		{ IATTR_ADMIN, 'A', 'a' },
		{ IATTR_WATCH, 'W', 'w' },
		{ IATTR_HIDE, 'H', 'h' },
	};
	/* The last three only for what can carry them: /proc entries. */
	size_t i, n = (mask & IATTR_FLAGS) ? 7 : 4;

	for (i = 0; i < n; i++)
		out[i] = !(mask & col[i].bit) ? '-' :
			 (flags & col[i].bit) ? col[i].on : col[i].off;
	out[n] = '\0';
}
