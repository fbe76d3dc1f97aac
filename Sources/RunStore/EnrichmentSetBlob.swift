/// How `enrichment_set.fact_ids` holds a lead's values: their `enrichment_fact` ids in field order
/// (the order `ORDER BY field` gives), each as an unsigned LEB128 varint, so a set of fifteen values
/// takes about thirty bytes.
enum EnrichmentSetBlob {
    static func append(_ id: Int64, to blob: inout [UInt8]) {
        var rest = UInt64(bitPattern: id)
        while rest >= 0x80 {
            blob.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        blob.append(UInt8(rest))
    }

    /// The fact ids a blob holds, in order.
    static func factIDs(_ blob: UnsafeRawBufferPointer) -> [Int64] {
        var ids: [Int64] = []
        var value: UInt64 = 0, shift: UInt64 = 0
        for byte in blob {
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                ids.append(Int64(bitPattern: value))
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return ids
    }
}
