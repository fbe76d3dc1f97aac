import DomainNames
import LeadFacts
import LeadRecords

extension NormalizeStage {
    /// ``normalize(_:_:_:)`` for a row whose added columns lie side by side (the usual run), without `overwrite`:
    /// each input value is read as the row's bytes and each added value is written straight into `values`, in
    /// column order, then into the row at once. Plain ASCII is worked on as bytes; any value that needs more
    /// takes the same `String` routine as ``normalize(_:_:_:)``, so both give the same text.
    func normalizeBytes(_ record: inout Record, _ row: RowContext, _ values: ColumnValues, run: Range<Int>) {
        let input = row.input
        var issues: Issues = []
        values.start()
        func raw<R>(_ slot: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            slot >= 0 ? record.fields.withUTF8(slot, body) : body(UnsafeBufferPointer(start: nil, count: 0))
        }
        func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        /// Bytes written earlier for this row; valid until the next append that grows `values`.
        func written(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: values.written(from: range.lowerBound).prefix(range.count))
        }

        // Email (column 0).
        let emailStart = values.count
        raw(input.email) { bytes in
            if !EmailCleanup.appendASCII(bytes, to: values) { values.append(EmailCleanup.normalize(string(bytes))) }
        }
        let emailEnd = values.count
        values.endValue()
        if input.email >= 0 && emailEnd == emailStart { issues.insert(.emailMissing) }

        // Names (columns 1–3), title (4).
        func name(_ field: Int) {
            raw(field) { bytes in
                if !nameCasing {
                    TextCleanup.append(bytes, to: values)
                } else if !PersonNameCasing.appendCleanedASCII(bytes, to: values) {
                    values.append(PersonNameCasing.apply(TextCleanup.clean(string(bytes))))
                }
            }
            values.endValue()
        }
        name(input.firstName)
        name(input.lastName)
        name(input.fullName)
        raw(input.title) { TextCleanup.append($0, to: values) }
        values.endValue()

        // Company (5) and its key (6).
        let companyStart = values.count
        raw(input.company) { TextCleanup.append($0, to: values) }
        let companyEnd = values.count
        values.endValue()
        if companyEnd > companyStart {
            // The key is at most twice the name (`&` becomes ` and `) plus a space per word: room for it first, so
            // that the name's bytes stay where they are while the key is written.
            values.reserve(4 * (companyEnd - companyStart) + 16)
            let name = written(companyStart..<companyEnd)
            if !companyKey.withASCIIKey(name, { values.append($0) }) { values.append(companyKey.key(string(name))) }
        }
        values.endValue()

        // Website (7) and registrable domain (8): website first, then a domain column, then the email's domain.
        var domain: Range<Int>?
        var domainText: String?
        raw(input.website) { bytes in
            guard !bytes.isEmpty else { return }
            // A printable-ASCII value (the only kind appendCanonical takes) is clean already: cleaning it changes nothing.
            let start = values.count
            switch WebsiteNormalizer.appendCanonical(bytes, psl: row.psl, to: values) {
            case .appended(let registrable):
                domain = registrable.map { (start + $0.lowerBound)..<(start + $0.upperBound) }
                return
            case .unparseable:
                issues.insert(.websiteUnparseable)
                return
            case .notPlainASCII: break
            }
            // As normalize(_:_:_:) does it.
            var website = TextCleanup.clean(string(bytes))
            guard !website.isEmpty else { return }
            switch website.withUTF8({ WebsiteNormalizer.canonical($0, psl: row.psl) }) {
            case .url(let url, let registrable):
                values.append(url)
                domainText = registrable
            case .unparseable:
                issues.insert(.websiteUnparseable)
            case .notPlainASCII:
                if let canonical = WebsiteNormalizer.canonicalURL(website) {
                    values.append(canonical.url)
                    domainText = PublicSuffixList.shared.registrableDomain(of: canonical.host) ?? ""
                } else {
                    issues.insert(.websiteUnparseable)
                }
            }
        }
        values.endValue()
        if let domain {
            values.appendWritten(domain)
        } else if let domainText, !domainText.isEmpty {
            values.append(domainText)
        } else {
            var found = false
            if input.domain >= 0, let host = HostName.fromWebsite(record[ColumnIndex(input.domain)]),
               let registrable = PublicSuffixList.shared.registrableDomain(of: host), !registrable.isEmpty {
                values.append(registrable)
                found = true
            }
            if !found, emailDomainFallback, emailEnd > emailStart {
                switch EmailCleanup.companyDomainRange(written(emailStart..<emailEnd), psl: row.psl, freeMail: row.freeMail) {
                case .range(let range): values.appendWritten((emailStart + range.lowerBound)..<(emailStart + range.upperBound))
                case .none: break
                case .needsString:
                    let email = string(written(emailStart..<emailEnd))
                    values.append(EmailCleanup.companyDomain(email, psl: row.psl, freeMail: row.freeMail))
                }
            }
        }
        values.endValue()

        // Country, then the phone (9) read with it, then the country (10).
        var country: Int?
        raw(input.country) { bytes in
            let table = CountryTable.shared
            if TextCleanup.classify(bytes) == .clean {
                guard !bytes.isEmpty else { return }
                country = table.asciiLookup(bytes, reader: row.countries) ?? table.lookup(string(bytes))?.index
            } else {
                var text = TextCleanup.clean(string(bytes))
                guard !text.isEmpty else { return }
                country = text.withUTF8 { table.asciiLookup($0, reader: row.countries) } ?? table.lookup(text)?.index
            }
            if country == nil { issues.insert(.countryUnknown) }
        }
        raw(input.phone) { bytes in
            let outcome: PhoneNormalizer.Outcome?
            if TextCleanup.classify(bytes) == .clean {
                outcome = bytes.isEmpty ? nil : phones.normalize(bytes, country: country ?? row.defaultCountry, reader: row.countries)
            } else {
                var phone = TextCleanup.clean(string(bytes))
                outcome = phone.isEmpty ? nil
                    : phone.withUTF8 { phones.normalize($0, country: country ?? row.defaultCountry, reader: row.countries) }
            }
            switch outcome {
            case .e164(let e164): values.append(e164)
            case .invalid: issues.insert(.phoneInvalid)
            case .needsCountry: issues.insert(.phoneNeedsCountry)
            case nil: break
            }
        }
        values.endValue()
        if let country { values.append(row.countries.alpha2[country]) }
        values.endValue()

        // City (11), issues (12).
        raw(input.city) { TextCleanup.append($0, to: values) }
        values.endValue()
        if !issues.isEmpty { values.append(issues.joined) }
        values.endValue()
        values.write(into: &record.fields, run: run)
    }
}
