/// The byte encodings the packed tables use (`run_lead_pack`, `entity_key_pack`): unsigned LEB128 varints,
/// zigzag for signed deltas, and length-prefixed byte strings. One place, so the writers and readers agree.
struct PackedWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(unsigned value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zigzag: small negative and positive numbers both take few bytes.
    mutating func append(signed value: Int64) {
        append(unsigned: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func append(raw value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(bytesOf text: some Collection<UInt8>) {
        append(unsigned: UInt64(text.count))
        bytes.append(contentsOf: text)
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// Reads what a ``PackedWriter`` wrote. A truncated or damaged blob throws rather than reading past its end.
struct PackedReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw PackedBlobError.truncated }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let value = try unsigned()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func count() throws -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count) * 8 + 16 else { throw PackedBlobError.truncated }
        return Int(value)
    }

    mutating func raw() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw PackedBlobError.truncated }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw PackedBlobError.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A length-prefixed byte string, valid as long as the blob is.
    mutating func byteString() throws -> UnsafeRawBufferPointer {
        let count = try count()
        guard offset + count <= bytes.count else { throw PackedBlobError.truncated }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    mutating func bytes(count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, offset + count <= bytes.count else { throw PackedBlobError.truncated }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}

/// A packed blob that does not decode: the file was damaged or written by something else.
public enum PackedBlobError: Error, CustomStringConvertible, Sendable {
    case truncated
    case unknownFormat(UInt64)

    public var description: String {
        switch self {
        case .truncated: "a packed blob in the store ends early (the file is damaged)"
        case .unknownFormat(let version): "a packed blob in the store has format \(version), which this build does not know"
        }
    }
}
