extension PackedFields {
    /// Calls `body` with every column's text back to back, as the row holds it: a writer scans it once for
    /// bytes that need quoting instead of scanning each field.
    @inlinable public func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[min(textStart, bytes.count)...]))
        }
    }
}
