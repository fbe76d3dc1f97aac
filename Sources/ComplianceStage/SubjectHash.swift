import COpenSSL
import Foundation

/// The keyed hash an erasure tombstone keeps instead of the address: HMAC-SHA256 of the mailbox identity
/// key under the store's own secret key (docs/privacy.md). Without the key, a tombstone cannot be turned
/// back into an address by hashing guessed addresses; with it, a run recognises the person again.
public enum SubjectHash {
    /// Lower-case hex of HMAC-SHA256(key, identity key).
    public static func hex(identityKey: String, key: [UInt8]) -> String {
        hex(hmacSHA256(key: key, data: Array(identityKey.utf8)))
    }

    /// HMAC-SHA256 (RFC 2104, FIPS 180-4) through OpenSSL's libcrypto.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    copenssl_hmac_sha256(k.baseAddress, Int32(k.count), d.baseAddress, d.count, o.baseAddress)
                }
            }
        }
        precondition(ok == 1, "libcrypto's HMAC-SHA256 failed")
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
