/// A resolver that could not be set up.
package enum ResolverError: Error, CustomStringConvertible {
    case initializationFailed
    case badServerAddress(String)

    public var description: String {
        switch self {
        case .initializationFailed: "res_ninit failed: the system resolver configuration could not be read"
        case .badServerAddress(let server): "'\(server)' is not an IPv4 address"
        }
    }
}
