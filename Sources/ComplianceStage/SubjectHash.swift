import Crypto
import Foundation

/// The keyed hash an erasure tombstone keeps instead of the address: HMAC-SHA256 of the mailbox identity
/// key under the store's own secret key (docs/privacy.md). Without the key, a tombstone cannot be turned
/// back into an address by hashing guessed addresses; with it, a run recognises the person again.
public enum SubjectHash {
    /// Lower-case hex of HMAC-SHA256(key, identity key).
    public static func hex(identityKey: String, key: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(identityKey.utf8), using: SymmetricKey(data: key))
        return code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
