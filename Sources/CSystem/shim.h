#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
// GNU functions that Swift's Glibc module hides (it is built without _GNU_SOURCE), declared here with
// _GNU_SOURCE so they are called directly instead of looked up with dlsym.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <malloc.h>

/// sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE): start write-back of a range, do not wait.
static inline int csys_start_write_back(int fd, long long offset, long long count) {
    return sync_file_range(fd, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE);
}

/// mallopt(M_MMAP_THRESHOLD, …) and mallopt(M_TRIM_THRESHOLD, …).
static inline void csys_keep_buffers_in_heap(int mmap_threshold, int trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}

/// malloc_trim(0): hands the heap's free pages back to the kernel.
static inline void csys_release_free_memory(void) {
    malloc_trim(0);
}
#endif
