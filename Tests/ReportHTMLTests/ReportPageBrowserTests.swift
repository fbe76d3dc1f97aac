import Foundation
import ReportHTML
import TestSupport
import Testing

/// The page in a real browser: headless Chromium (Debian's `chromium`, installed by `make deps`) takes a
/// screenshot, and the screenshot must show a page, not a blank one.
@Suite struct ReportPageBrowserTests {
    @Test func chromiumDrawsThePageWithItsCharts() throws {
        let folder = try TemporaryDirectory("report-browser")
        defer { folder.remove() }
        let page = folder.path("report.html")
        try ReportPage(json: ReportFixtures.data("weekly-report.json")).html.write(
            toFile: page, atomically: true, encoding: .utf8)
        let screenshot = folder.path("report.png")
        let browser = try ProcessRunner.run(
            Self.chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(folder.path("profile"))", "--screenshot=\(screenshot)", "--window-size=1280,2400",
                URL(fileURLWithPath: page).absoluteString,
            ])
        #expect(browser.status == 0, "chromium: \(browser.stderr)")
        let colours = try ProcessRunner.run("/usr/bin/python3", ["-c", Self.pngColours, screenshot])
        #expect(colours.status == 0, "\(colours.stderr)")
        let figures = colours.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(figures.count == 2)
        guard figures.count == 2 else { return }
        // Text, the verdict badge and the bars in their colours: far more than the background's one colour.
        #expect(figures[0] >= 8, "distinct colours: \(figures[0])")
        // Per mille of sampled pixels that are not the page's background.
        #expect(figures[1] >= 20, "drawn pixels: \(figures[1]) ‰")
    }

    static var chromium: String {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/bin/chromium"
    }

    /// Decodes an 8-bit RGB(A) PNG with python3's standard library (zlib; the scanline filters of PNG §9)
    /// and prints the number of distinct colours and the per mille of pixels unlike the most common one,
    /// sampled every fourth pixel of every fourth row.
    static let pngColours = #"""
        import sys, zlib, struct, collections
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, colour = struct.unpack('>IIBB', body[:10])
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        assert depth == 8 and colour in (2, 6), 'unexpected PNG format'
        bpp = 3 if colour == 2 else 4
        raw = zlib.decompress(idat)
        stride = width * bpp
        prev = bytearray(stride)
        counts = collections.Counter()
        for y in range(height):
            start = y * (stride + 1)
            kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            if kind == 1:
                for i in range(bpp, stride): row[i] = (row[i] + row[i - bpp]) & 255
            elif kind == 2:
                row = bytearray((a + b) & 255 for a, b in zip(row, prev))
            elif kind == 3:
                for i in range(stride):
                    left = row[i - bpp] if i >= bpp else 0
                    row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
            elif kind == 4:
                for i in range(stride):
                    a = row[i - bpp] if i >= bpp else 0
                    b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            if y % 4 == 0:
                for x in range(0, width, 4):
                    counts[bytes(row[x * bpp:x * bpp + 3])] += 1
            prev = row
        total = sum(counts.values())
        background = counts.most_common(1)[0][1]
        print(len(counts), (total - background) * 1000 // total)
        """#
}
