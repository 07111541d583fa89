/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvserver internal: tables of flag and capability names, shared by
 * names.c (context flags, ccaps) and network.c (nflags, ncaps).
 */
#ifndef LIBVSERVER_NAMES_H
#define LIBVSERVER_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct vs_name {
	const char *name;
	uint64_t bits;
};

/* The bits of @name in table @t (case-insensitive), or -EINVAL. */
int vs_name_lookup(const struct vs_name *t, size_t n, const char *name,
		   uint64_t *bits);
/* The name of exactly @bits in table @t, or NULL. */
const char *vs_name_of(const struct vs_name *t, size_t n, uint64_t bits);

#endif /* LIBVSERVER_NAMES_H */
