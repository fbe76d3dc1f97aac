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
        /// Records of the asked type in the answer section (with any CNAMEs the server followed), and the
        /// A/AAAA records of the additional section (RFC 1035 §4.1: addresses the server volunteers for the
        /// names in the answer, such as MX hosts).
        case records([ResourceRecord], additional: [ResourceRecord])
        /// NOERROR with no record of the asked type.
        case noData
        case nxdomain
        case failed(String)
    }

    struct ResourceRecord {
        /// The owner name, lower-case, without the trailing dot.
        var name: String
        var type: UInt16
        /// MX: preference; otherwise 0.
        var preference: UInt16
        /// MX: the exchange host name (empty for the root, as in a null MX).
        var host: String
        /// A/AAAA: the address bytes.
        var address: [UInt8]

        /// An A or AAAA record whose address could receive mail from the internet.
        var hasPublicAddress: Bool {
            address.count == 4 ? PublicAddress.isPublic(ipv4: address) : address.count == 16 && PublicAddress.isPublic(ipv6: address)
        }
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
            var address6 = in6_addr()
            if inet_pton(AF_INET, server, &address.sin_addr) == 1 {
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(configuration.port)).bigEndian
                state.pointee.nsaddr_list.0 = address
                state.pointee.nscount = 1
            } else if inet_pton(AF_INET6, ResolverConfiguration.unbracketed(server), &address6) != 1
                        || cres_set_ipv6_server(state, &address6, UInt16(configuration.port)) != 0 {
                cres_nclose(state)
                state.deallocate()
                throw ResolverError.badServerAddress(server)
            }
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
            let records = Self.records(in: ns_s_an, of: &message)
            guard records.contains(where: { Int($0.type) == Int(type.rawValue) }) else { return .noData }
            let additional = Self.records(in: ns_s_ar, of: &message).filter { !$0.address.isEmpty } // A and AAAA
            return .records(records, additional: additional)
        }
    }

    /// The MX, A and AAAA records of one section of a parsed answer.
    private static func records(in section: ns_sect, of message: inout ns_msg) -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        for index in 0..<cns_msg_count(&message, section) {
            var rr = ns_rr()
            guard ns_parserr(&message, section, index, &rr) == 0, let rdata = rr.rdata else { continue }
            let owner = withUnsafePointer(to: &rr.name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NS_MAXDNAME)) { String(cString: $0) }
            }.lowercased()
            switch Int(rr.type) {
            case Int(ns_t_mx.rawValue) where rr.rdlength >= 3:
                var host = [CChar](repeating: 0, count: Int(NS_MAXDNAME))
                let used = dn_expand(cns_msg_base(&message), cns_msg_end(&message), rdata + 2, &host, Int32(host.count))
                guard used >= 0 else { continue }
                let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                records.append(ResourceRecord(name: owner, type: rr.type, preference: UInt16(ns_get16(rdata)),
                                              host: name == "." ? "" : name.lowercased(), address: []))
            case Int(ns_t_a.rawValue) where rr.rdlength == 4, Int(ns_t_aaaa.rawValue) where rr.rdlength == 16:
                records.append(ResourceRecord(name: owner, type: rr.type, preference: 0, host: "",
                                              address: Array(UnsafeBufferPointer(start: rdata, count: Int(rr.rdlength)))))
            default:
                continue // CNAMEs the server followed for us, OPT, and anything else
            }
        }
        return records
    }

    /// What a domain's own records say: its MX hosts (with RFC 7505 null MX), else the A/AAAA fallback of
    /// RFC 5321 §5.1. Whether the MX hosts have addresses is for the caller to find out, with
    /// ``reachability(of:)``; `hostsWithPublicAddress` are those the additional section already answers.
    func answer(for domain: String) -> (verdict: DomainVerdict, hostsWithPublicAddress: Set<String>) {
        switch query(domain, type: ns_t_mx) {
        case .nxdomain:
            return (.nonexistent, [])
        case .failed(let why):
            return (.lookupFailed(why), [])
        case .records(let records, let additional):
            let exchanges = records.filter { Int($0.type) == Int(ns_t_mx.rawValue) }
                .sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
            // RFC 7505 §3: a null MX is a single MX with the root as exchange. A domain that also lists
            // real exchanges is misconfigured; mail still goes to the real ones, so those count.
            var hosts: [String] = []
            for host in exchanges.map(\.host) where !host.isEmpty && !hosts.contains(host) { hosts.append(host) }
            guard !hosts.isEmpty else { return (.nullMX, []) }
            // Only a public address proves a host reachable; anything less is asked for in full (the
            // server may have sent the A records but not the AAAA ones).
            let reachable = Set(additional.filter { $0.hasPublicAddress && hosts.contains($0.name) }.map(\.name))
            return (.mailExchangers(hosts), reachable)
        case .noData:
            switch reachability(of: domain) {
            case .reachable: return (.implicitMX, [])
            case .nonexistent: return (.nonexistent, [])
            case .noPublicAddress: return (.noMailHost, [])
            case .failed(let why): return (.lookupFailed(why), [])
            }
        }
    }

    /// Whether `host` has a public address: A, then AAAA, stopping at the first public one.
    func reachability(of host: String) -> HostReachability {
        var failure: String?
        for type in [ns_t_a, ns_t_aaaa] {
            switch query(host, type: type) {
            case .records(let records, _):
                if records.contains(where: \.hasPublicAddress) { return .reachable }
            case .nxdomain:
                return .nonexistent
            case .failed(let why):
                failure = why
            case .noData:
                break
            }
        }
        if let failure { return .failed(failure) }
        return .noPublicAddress
    }
}
