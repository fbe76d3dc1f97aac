import CResolv
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One glibc resolver state (`res_state`) and its answer buffer; used by one thread at a time.
///
/// This is the only file of the stage that touches C pointers. Queries go through `res_nquery`,
/// answers are walked with `ns_initparse`/`ns_parserr`.
final class ResolverSession {
    private let state: UnsafeMutablePointer<__res_state>
    private var answer = [UInt8](repeating: 0, count: 65_535)

    /// The outcome of one query.
    enum Answer {
        case records([ResourceRecord])
        /// NOERROR with no record of the asked type.
        case noData
        case nxdomain
        case failed(String)
    }

    struct ResourceRecord {
        var type: UInt16
        /// MX: preference; otherwise 0.
        var preference: UInt16
        /// MX: the exchange host name (empty for the root, as in a null MX).
        var host: String
        /// A/AAAA: the address bytes.
        var address: [UInt8]
    }

    init(_ configuration: ResolverConfiguration) throws {
        state = UnsafeMutablePointer<__res_state>.allocate(capacity: 1)
        state.initialize(to: __res_state())
        guard cres_ninit(state) == 0 else {
            state.deallocate()
            throw ResolverError.initializationFailed
        }
        if let server = configuration.server {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(configuration.port)).bigEndian
            guard inet_pton(AF_INET, server, &address.sin_addr) == 1 else {
                cres_nclose(state)
                state.deallocate()
                throw ResolverError.badServerAddress(server)
            }
            state.pointee.nsaddr_list.0 = address
            state.pointee.nscount = 1
        }
        // Keep the session's socket between queries instead of one socket per query (glibc closes it
        // after every res_nquery unless RES_STAYOPEN is set).
        state.pointee.options |= UInt(RES_STAYOPEN)
        state.pointee.retrans = Int32(max(1, configuration.timeoutSeconds))
        state.pointee.retry = Int32(max(1, configuration.attempts))
    }

    deinit {
        cres_nclose(state)
        state.deallocate()
    }

    /// Sends one query of `type` (`ns_t_mx`, `ns_t_a`, `ns_t_aaaa`) for `name` and parses the answer section.
    func query(_ name: String, type: ns_type) -> Answer {
        let length = answer.withUnsafeMutableBufferPointer { buffer in
            cres_nquery(state, name, Int32(ns_c_in.rawValue), Int32(type.rawValue), buffer.baseAddress, Int32(buffer.count))
        }
        guard length >= 0 else {
            // res_nquery folds the response code into h_errno (see glibc resolv/res_query.c).
            switch state.pointee.res_h_errno {
            case HOST_NOT_FOUND: return .nxdomain
            case NO_DATA: return .noData
            case TRY_AGAIN: return .failed("servfail_or_timeout")
            case NO_RECOVERY: return .failed("refused")
            default: return .failed("resolver_error")
            }
        }
        return answer.withUnsafeBufferPointer { buffer in
            var message = ns_msg()
            guard ns_initparse(buffer.baseAddress, length, &message) == 0 else { return .failed("malformed_answer") }
            var records: [ResourceRecord] = []
            let count = cns_msg_count(&message, ns_s_an)
            for index in 0..<count {
                var rr = ns_rr()
                guard ns_parserr(&message, ns_s_an, index, &rr) == 0, let rdata = rr.rdata else { continue }
                switch Int(rr.type) {
                case Int(ns_t_mx.rawValue) where rr.rdlength >= 3:
                    var host = [CChar](repeating: 0, count: Int(NS_MAXDNAME))
                    let used = dn_expand(cns_msg_base(&message), cns_msg_end(&message), rdata + 2, &host, Int32(host.count))
                    guard used >= 0 else { continue }
                    let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    records.append(ResourceRecord(type: rr.type, preference: UInt16(ns_get16(rdata)),
                                                  host: name == "." ? "" : name.lowercased(), address: []))
                case Int(ns_t_a.rawValue) where rr.rdlength == 4, Int(ns_t_aaaa.rawValue) where rr.rdlength == 16:
                    records.append(ResourceRecord(type: rr.type, preference: 0, host: "",
                                                  address: Array(UnsafeBufferPointer(start: rdata, count: Int(rr.rdlength)))))
                default:
                    continue // CNAMEs the server followed for us, and anything else
                }
            }
            return records.contains { Int($0.type) == Int(type.rawValue) } ? .records(records) : .noData
        }
    }

    /// The mail verdict for a domain: MX (with RFC 7505 null MX), else the A/AAAA fallback of RFC 5321 §5.1.
    func verdict(for domain: String) -> DomainVerdict {
        switch query(domain, type: ns_t_mx) {
        case .nxdomain:
            return .nonexistent
        case .failed(let why):
            return .lookupFailed(why)
        case .records(let records):
            let exchanges = records.filter { Int($0.type) == Int(ns_t_mx.rawValue) }
                .sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
            // RFC 7505 §3: a null MX is a single MX with the root as exchange. A domain that also lists
            // real exchanges is misconfigured; mail still goes to the real ones, so those count.
            let hosts = exchanges.map(\.host).filter { !$0.isEmpty }
            return hosts.isEmpty ? .nullMX : .mailExchangers(hosts)
        case .noData:
            var failure: String?
            for type in [ns_t_a, ns_t_aaaa] {
                switch query(domain, type: type) {
                case .records(let records):
                    let isPublic = records.contains { record in
                        record.address.count == 4 ? PublicAddress.isPublic(ipv4: record.address)
                            : record.address.count == 16 && PublicAddress.isPublic(ipv6: record.address)
                    }
                    if isPublic { return .implicitMX }
                case .nxdomain:
                    return .nonexistent
                case .failed(let why):
                    failure = why
                case .noData:
                    break
                }
            }
            if let failure { return .lookupFailed(failure) }
            return .noMailHost
        }
    }
}
