import CSystem
import Foundation

/// Keeps chunk-sized allocations inside glibc's heap instead of handing them back to the kernel.
///
/// The executor moves buffers of about a megabyte between threads: the reader fills one, a worker frees
/// it; a worker renders one, the writer frees it. By default glibc serves such sizes with `mmap` and trims
/// the heap top when they are freed, so every chunk faults its pages in again (about 30,000 page faults
/// per million rows). A fixed mmap threshold and a high trim threshold let freed chunks be reused.
///
/// glibc also gives threads up to eight heaps ("arenas") per core, each keeping what was freed in it for its own
/// later use: rows freed by one worker after a whole-list stage were not reused by another, and the weekly 1M
/// job's peak was a fifth higher than with one arena per core. The run's threads are about one per core, so one
/// arena each is enough.
enum MallocTuning {
    static func keepChunkBuffersInHeap() {
        csys_keep_buffers_in_heap(32 << 20, 256 << 20)
        csys_limit_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }
}
