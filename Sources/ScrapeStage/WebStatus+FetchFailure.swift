import LeadRecords
import Web

extension WebStatus {
    /// The status of a home page that could not be fetched.
    init(failure: FetchFailure) {
        switch failure {
        case .timeout: self = .timeout
        case .dnsFailure: self = .dnsFailure
        case .blockedAddress: self = .blockedPrivate
        case .tooLarge: self = .tooLarge
        case .headerTooLarge: self = .headerTooLarge
        case .tooManyRedirects: self = .tooManyRedirects
        case .refused: self = .invalidURL
        case .connectionFailed: self = .connectFailed
        }
    }
}
