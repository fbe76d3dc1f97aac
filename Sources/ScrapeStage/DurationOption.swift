import Foundation

/// Parses durations written as `30s`, `15m`, `12h`, `7d` or `2w` (a bare number is seconds).
enum DurationOption {
    static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last else { return nil }
        let scale: Double
        var number = Substring(trimmed)
        switch unit {
        case "s": scale = 1; number = number.dropLast()
        case "m": scale = 60; number = number.dropLast()
        case "h": scale = 3_600; number = number.dropLast()
        case "d": scale = 86_400; number = number.dropLast()
        case "w": scale = 604_800; number = number.dropLast()
        default: scale = 1
        }
        guard let value = Double(number), value >= 0 else { return nil }
        return value * scale
    }
}
