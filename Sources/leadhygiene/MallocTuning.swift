import Foundation

/// Keeps chunk-sized allocations inside glibc's heap instead of handing them back to the kernel.
///
/// The executor moves buffers of about a megabyte between threads: the reader fills one, a worker frees
/// it; a worker renders one, the writer frees it. By default glibc serves such sizes with `mmap` and trims
/// the heap top when they are freed, so every chunk faults its pages in again (about 30,000 page faults
/// per million rows). A fixed mmap threshold and a high trim threshold let freed chunks be reused.
/// `mallopt` is looked up at run time because Swift's Glibc module does not declare it; without it
/// nothing changes.
enum MallocTuning {
    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    private static let mmapThreshold: Int32 = -3   // M_MMAP_THRESHOLD
    private static let trimThreshold: Int32 = -1   // M_TRIM_THRESHOLD

    static func keepChunkBuffersInHeap() {
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
    }
}
