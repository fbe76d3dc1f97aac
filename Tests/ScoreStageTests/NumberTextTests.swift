import RowExpressions
import Testing

@Suite("Numbers as exports write them")
struct NumberTextTests {
    @Test(arguments: [
        ("640", 640.0), ("1,200", 1200), ("1 200", 1200), (" 12_500 ", 12500), ("200-500", 350), ("200–500", 350),
        ("200 to 500", 350), ("10k+", 10000), ("10,000+", 10000), ("1.5M", 1_500_000), ("$2bn", 2_000_000_000),
        ("€40k", 40000), ("12%", 12), ("-20", -20), ("3.25", 3.25), ("201-1000", 600.5),
    ])
    func readsTheNumberACellStates(text: String, value: Double) {
        #expect(NumberText.value(text) == value)
    }

    @Test(arguments: ["", "unknown", "n/a", "<50", ">1000", "5 bananas", "12 kg", "1,2,", "abc123", "-"])
    func aCellWithoutANumberStatesNone(text: String) {
        #expect(NumberText.value(text) == nil)
    }
}
