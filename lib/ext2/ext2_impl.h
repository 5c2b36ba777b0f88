/*
 * Internal interfaces between the files of the ext2 library.
 */
#ifndef BULKHEAD_EXT2_IMPL_H
#define BULKHEAD_EXT2_IMPL_H

#include "ext2.h"

/* The system provides these four; the library uses nothing else of libc. */
void	*memcpy(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
size_t	 strlen(const char *);

/* cache.c: every buffer returned must be given back with buf_put(). */
int	buf_get(struct ext2_fs *, uint32_t blk, struct ext2_buf **);
int	buf_get_zero(struct ext2_fs *, uint32_t blk, struct ext2_buf **);
void	buf_put(struct ext2_fs *, struct ext2_buf *);
void	buf_dirty(struct ext2_buf *);
int	buf_flush(struct ext2_fs *);
void	buf_invalidate_all(struct ext2_fs *);

/* super.c */
int	group_get(struct ext2_fs *, uint32_t g, struct ext2_buf **,
	    struct ext2_group_desc **);
bool	block_in_fs(const struct ext2_fs *, uint32_t blk);
uint32_t fs_now(struct ext2_fs *);

/* alloc.c */
int	block_alloc(struct ext2_fs *, uint32_t goal, uint32_t *blk);
int	block_free(struct ext2_fs *, uint32_t blk);
int	inode_alloc(struct ext2_fs *, uint32_t parent, bool isdir,
	    uint32_t *ino);
int	inode_free(struct ext2_fs *, uint32_t ino, bool isdir);

/* inode.c */
int	inode_get(struct ext2_fs *, uint32_t ino, struct ext2_ient **);
int	inode_put(struct ext2_fs *, struct ext2_ient *);
int	inode_write(struct ext2_fs *, struct ext2_ient *);
int	inode_init(struct ext2_fs *, uint32_t ino, struct ext2_ient **);
int	inode_bmap(struct ext2_fs *, struct ext2_ient *, uint32_t lblk,
	    bool alloc, uint32_t *pblk);
int	inode_truncate(struct ext2_fs *, struct ext2_ient *, uint64_t size);
uint64_t inode_size(const struct ext2_fs *, const struct ext2_ient *);
void	inode_set_size(struct ext2_fs *, struct ext2_ient *, uint64_t);
void	inode_touch(struct ext2_fs *, struct ext2_ient *, bool a, bool m,
	    bool c);
void	inode_set_times(struct ext2_ient *, uint32_t atime, uint32_t mtime);
int	inode_add_blocks(struct ext2_fs *, struct ext2_ient *, int n);
bool	inode_has_blocks(const struct ext2_fs *, const struct ext2_ient *);

/* file.c */
int	fs_enter(struct ext2_fs *, bool modify);
int	inode_put_keep(struct ext2_fs *, struct ext2_ient *, int error);
void	rdev_encode(struct ext2_ient *, uint32_t rdev);

/* dir.c */
int	dir_find(struct ext2_fs *, struct ext2_ient *dp, const char *name,
	    size_t len, uint32_t *ino);
int	dir_add(struct ext2_fs *, struct ext2_ient *dp, const char *name,
	    size_t len, uint32_t ino, uint32_t mode);
int	dir_remove(struct ext2_fs *, struct ext2_ient *dp, const char *name,
	    size_t len);
int	dir_retarget(struct ext2_fs *, struct ext2_ient *dp, const char *name,
	    size_t len, uint32_t ino, uint32_t mode);
int	dir_is_empty(struct ext2_fs *, struct ext2_ient *dp);
int	dir_init(struct ext2_fs *, struct ext2_ient *dp, uint32_t parent);
int	dir_iterate(struct ext2_fs *, struct ext2_ient *dp, uint64_t *cookie,
	    ext2_filldir_t, void *);

#endif
