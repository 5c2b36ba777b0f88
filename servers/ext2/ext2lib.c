/*
 * lib/ext2 compiled into the file server as one translation unit: the
 * Makefile's program rule links only this directory's sources, and the
 * library's files share no static names, so including them is enough.
 */
#include "fs.h"		/* the server's cache size, before the library sees it */
#include "../../lib/ext2/cache.c"
#include "../../lib/ext2/super.c"
#include "../../lib/ext2/alloc.c"
#include "../../lib/ext2/inode.c"
#include "../../lib/ext2/dir.c"
#include "../../lib/ext2/file.c"
#include "../../lib/ext2/namei.c"
