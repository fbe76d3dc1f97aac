import LeadIO

extension RunReport {
    /// Writes the report's JSON to `path` and, when asked, its HTML page to `htmlPath`: both written aside and
    /// renamed into place together, so a failed write leaves the earlier files as they were.
    public func write(to path: String, html htmlPath: String?) throws {
        let file = try AtomicOutputFile(path: path)
        let page = try htmlPath.map(AtomicOutputFile.init)
        do {
            try file.write(Array((json.json() + "\n").utf8))
            try page?.write(htmlPage)
            try PublishedSet.publish([file] + [page].compactMap { $0 })
        } catch {
            file.discard()
            page?.discard()
            throw error
        }
    }
}
