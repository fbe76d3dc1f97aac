import Foundation
import ZIPFoundation

/// Opening the workbook's ZIP archive and reading its small parts whole.
enum WorkbookArchive {
    /// Opens the archive for reading.
    /// - Throws: ``WorkbookError/legacyExcel`` for an `.xls` file, ``WorkbookError/notAnArchive(_:)`` otherwise.
    static func open(_ url: URL) throws -> Archive {
        do {
            return try Archive(url: url, accessMode: .read)
        } catch {
            if isLegacyExcel(url) { throw WorkbookError.legacyExcel }
            throw WorkbookError.notAnArchive("not a ZIP archive, or a damaged one")
        }
    }

    /// An Excel 97–2003 file is an OLE compound document, which starts with these eight bytes.
    private static func isLegacyExcel(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        return (try? handle.read(upToCount: 8)).map { Array($0) == magic } ?? false
    }

    /// The whole of a small part (the workbook, its relationships, the styles), or `nil` when it is absent.
    /// Parts that grow with the data (the sheet, the shared strings) are streamed with ``ZipEntryStream`` instead.
    static func read(_ path: String, from archive: Archive, limit: Int = 64 << 20) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw WorkbookError.corruptPart(path, "is larger than \(limit >> 20) MiB")
        }
        var data = Data()
        do {
            let checksum = try archive.extract(entry, bufferSize: ZipEntryStream.blockSize) { data.append($0) }
            guard checksum == entry.checksum else {
                throw WorkbookError.corruptPart(path, "does not match its checksum (the file is damaged or truncated)")
            }
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError.corruptPart(path, "cannot be inflated (\(error))")
        }
        return data
    }
}
