/// Punycode (RFC 3492), the encoding behind IDNA A-labels (`bücher` ↔ `xn--bcher-kva`).
public enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128

    /// Encodes one label's Unicode scalars; `nil` on overflow.
    public static func encode(_ input: String) -> String? {
        let scalars = input.unicodeScalars.map(\.value)
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar($0)!) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while handled < scalars.count {
            guard let m = scalars.filter({ Int($0) >= n }).min().map(Int.init) else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += product
            n = m
            for scalar in scalars {
                let c = Int(scalar)
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    /// Decodes one label's Punycode (without the `xn--` prefix); `nil` when malformed.
    public static func decode(_ input: String) -> String? {
        var output: [UInt32] = []
        var rest = Substring(input)
        if let dash = input.lastIndex(of: "-") {
            for ch in input[..<dash] {
                guard let v = ch.unicodeScalars.first?.value, v < 0x80 else { return nil }
                output.append(v)
            }
            rest = input[input.index(after: dash)...]
        }
        var n = initialN, i = 0, bias = initialBias
        var chars = rest.makeIterator()
        var pending = chars.next()
        while pending != nil {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard let ch = pending, let d = value(of: ch) else { return nil }
                pending = chars.next()
                i += d * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                w *= base - t
                k += base
                if w > 1 << 40 { return nil }
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        var result = ""
        for v in output {
            guard let scalar = Unicode.Scalar(v) else { return nil }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
    }

    private static func value(of ch: Character) -> Int? {
        guard let a = ch.asciiValue else { return nil }
        switch a {
        case 48...57: return Int(a) - 22
        case 65...90: return Int(a) - 65
        case 97...122: return Int(a) - 97
        default: return nil
        }
    }
}
