import LeadRecords

extension TextCleanup {
    /// Appends ``clean(_:)`` of the text `bytes` (valid UTF-8) to the value `values` is writing, on the
    /// bytes unless the text needs Unicode's rules.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to values: ColumnValues) {
        switch classify(bytes) {
        case .clean: values.append(bytes)
        case .collapse(let latin): values.append(upTo: bytes.count) { collapse(bytes, into: $0, latin: latin) }
        case .unicode: values.append(unicodeClean(String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// Calls `body` with the bytes of ``clean(_:)`` of `bytes` when they are ASCII (the clean-up then works
    /// on bytes); `nil` without calling it otherwise.
    static func withCleanedASCII<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        switch classify(bytes) {
        case .clean:
            return body(bytes)
        case .collapse(latin: false):
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { scratch in
                let count = collapse(bytes, into: scratch.baseAddress!, latin: false)
                return body(UnsafeBufferPointer(start: scratch.baseAddress, count: count))
            }
        case .collapse(latin: true), .unicode:
            return nil
        }
    }
}
