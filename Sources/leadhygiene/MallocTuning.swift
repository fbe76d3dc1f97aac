import CSystem

/// Keeps chunk-sized allocations inside glibc's heap instead of handing them back to the kernel.
///
/// The executor moves buffers of about a megabyte between threads: the reader fills one, a worker frees
/// it; a worker renders one, the writer frees it. By default glibc serves such sizes with `mmap` and trims
/// the heap top when they are freed, so every chunk faults its pages in again (about 30,000 page faults
/// per million rows). A fixed mmap threshold and a high trim threshold let freed chunks be reused.
enum MallocTuning {
    static func keepChunkBuffersInHeap() {
        csys_keep_buffers_in_heap(32 << 20, 256 << 20)
    }
}
