// swift-tools-version:6.1
import PackageDescription

// Data flows one way: read (LeadIO) → stages → write, with the report and the store on the side.
// Each concern is its own module; `LeadHygiene` wires them together and `leadhygiene` is the thin CLI.
// Only `Web` and the stages' DNS code touch the C modules (CCurl, CLibXML2, CResolv); CSystem declares the
// two GNU calls (sync_file_range, mallopt) that Swift's Glibc module hides.
let package = Package(
    name: "LeadHygiene",
    // Linux is the platform LeadHygiene supports (it reads /proc for memory and cgroup limits); the macOS
    // minimum only lets Synchronization's Mutex compile there for editing.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leadhygiene", targets: ["leadhygiene"]),
        .executable(name: "lead-sample", targets: ["lead-sample"]),
        .executable(name: "contact-list", targets: ["contact-list"]),
        .library(name: "LeadHygiene", targets: ["LeadHygiene"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // HMAC-SHA256 for the erasure tombstones (compliance, `leadhygiene forget`).
    ],
    targets: [
        // MARK: Spine
        .target(name: "LeadRecords"),
        // The lead facts every stage shares, defined once: company key, mailbox identity, free-mail and
        // role lists, string metrics, the seeded RNG (data files compiled in, like the stages').
        .target(name: "LeadFacts", exclude: ["Resources"]),
        .target(name: "LeadIO", dependencies: ["LeadRecords", "CSystem"]),
        .target(name: "DomainNames", exclude: ["Resources"]),
        .target(name: "SpreadsheetInput", dependencies: [
            "LeadRecords", "LeadIO", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The stage contract (Stage, options, summaries, services): what every stage links, without YAML.
        .target(name: "PipelineSpec", dependencies: ["LeadRecords", "LeadFacts"]),
        // Pipeline files read from YAML, every problem at its line and column.
        .target(name: "PipelineFileLoading", dependencies: ["PipelineSpec", "LeadRecords", .product(name: "Yams", package: "Yams")]),
        .target(name: "PipelineExecution", dependencies: ["LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "CSystem"]),
        .target(name: "RunStore", dependencies: [
            "LeadRecords", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),

        // MARK: C libraries (module map + shim header only)
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CResolv"),
        .systemLibrary(name: "CSystem"),
        // libcrypto (HMAC-SHA256 for erasure tombstones); libcurl4-openssl-dev brings libssl-dev.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .target(name: "Web", dependencies: ["LeadFacts", "CCurl", "CLibXML2"]),
        // report.json rendered as one self-contained HTML page (Foundation only: no JavaScript, no URL).
        .target(name: "ReportHTML"),

        // MARK: Stages
        // Stages' data files (Resources/) are compiled in as EmbeddedResources.swift (`make resources`), so the
        // binary runs wherever it is copied.
        .target(name: "NormalizeStage", dependencies: ["LeadRecords", "LeadFacts", "PipelineSpec", "DomainNames"], exclude: ["Resources"]),
        .target(name: "EmailCheckStage", dependencies: ["LeadRecords", "LeadFacts", "PipelineSpec", "DomainNames", "CResolv"],
                exclude: ["Resources"]),
        .target(name: "ScrapeStage", dependencies: ["LeadRecords", "PipelineSpec", "DomainNames", "Web"], exclude: ["Resources"]),
        .target(name: "DedupeStage", dependencies: ["LeadRecords", "LeadFacts", "PipelineSpec", "DomainNames"], exclude: ["Resources"]),
        .target(name: "FirmographicMergeStage", dependencies: ["LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "DomainNames"],
                exclude: ["Resources"]),
        .target(name: "DecayStage", dependencies: ["LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "DomainNames"]),
        // The `when:` conditions score and route share: parsed, bound to columns, evaluated per row.
        .target(name: "RowExpressions", dependencies: ["LeadRecords", "LeadFacts", "PipelineSpec"]),
        .target(name: "ScoreStage", dependencies: ["LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "RowExpressions"]),
        .target(name: "RouteStage", dependencies: ["LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "DomainNames", "RowExpressions"]),
        // Who may be emailed: per-country consent rules from a policy file, do-not-contact lists, erased people.
        .target(name: "ComplianceStage", dependencies: [
            "LeadRecords", "LeadFacts", "LeadIO", "PipelineSpec", "PipelineFileLoading", "DomainNames", "NormalizeStage",
            .product(name: "Yams", package: "Yams"),
            "COpenSSL",
        ]),

        // MARK: Library and tools
        .target(name: "LeadHygiene", dependencies: [
            "LeadRecords", "LeadFacts", "LeadIO", "DomainNames", "SpreadsheetInput", "PipelineSpec", "PipelineFileLoading", "PipelineExecution", "RunStore", "Web",
            "NormalizeStage", "EmailCheckStage", "ScrapeStage", "DedupeStage", "FirmographicMergeStage", "DecayStage",
            "ScoreStage", "RouteStage",
            "ComplianceStage",
            .product(name: "Logging", package: "swift-log"),
            "ReportHTML",
        ]),
        .executableTarget(name: "leadhygiene", dependencies: [
            "LeadHygiene", "LeadIO", "EmailCheckStage", "DedupeStage", "PipelineSpec", "PipelineFileLoading", "RunStore", "CSystem", "ReportHTML",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LeadSampleGenerator", dependencies: ["LeadFacts"]),
        .executableTarget(name: "lead-sample", dependencies: [
            "LeadSampleGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // A second lead generator, independent of lead-sample in code and statistics (dedupe is checked on both).
        .target(name: "ContactListGenerator"),
        .executableTarget(name: "contact-list", dependencies: [
            "ContactListGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Benchmarks (`make bench`)
        .executableTarget(name: "EmailCheckBench", dependencies: ["EmailCheckStage", "LeadFacts", "PipelineFileLoading", "LeadSampleGenerator"], path: "Benchmarks/EmailCheckBench"),
        .executableTarget(name: "ScrapeBench", dependencies: ["ScrapeStage", "Web", "LeadFacts", "LeadRecords", "PipelineSpec", "LocalServers"], path: "Benchmarks/ScrapeBench"),
        .executableTarget(name: "DedupeBench", dependencies: ["DedupeStage", "LeadFacts", "LeadHygiene", "LeadSampleGenerator", "ContactListGenerator"], path: "Benchmarks/DedupeBench"),
        .executableTarget(name: "ScoreRouteBench", dependencies: ["ScoreStage", "RouteStage", "LeadRecords", "PipelineSpec", "PipelineFileLoading", "LeadSampleGenerator"],
                          path: "Benchmarks/ScoreRouteBench"),
        .executableTarget(name: "MergeDecayBench", dependencies: ["FirmographicMergeStage", "DecayStage", "LeadFacts", "PipelineFileLoading", "RunStore", "LeadHygiene", "LeadSampleGenerator", "PipelineSpec"], path: "Benchmarks/MergeDecayBench"),

        // MARK: Tests (mirror the modules)
        // Server processes (dnsmasq, Python HTTP servers) started on 127.0.0.1 by tests and ScrapeBench.
        .target(name: "LocalServers", path: "Tests/LocalServers"),
        .target(name: "TestSupport", dependencies: [
            "LocalServers", "LeadRecords", "PipelineSpec", "PipelineFileLoading", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "LeadIOTests", dependencies: ["LeadIO", "LeadFacts", "LeadSampleGenerator", "TestSupport"]),
        .testTarget(name: "SpreadsheetInputTests", dependencies: ["SpreadsheetInput", "LeadIO", "LeadRecords", "TestSupport"]),
        .testTarget(name: "DomainNamesTests", dependencies: ["DomainNames"]),
        .testTarget(name: "LeadFactsTests", dependencies: [
            "LeadFacts", "LeadHygiene", "NormalizeStage", "EmailCheckStage", "DedupeStage", "FirmographicMergeStage", "DecayStage",
            "PipelineSpec", "LeadRecords", "DomainNames", "TestSupport",
        ]),
        .testTarget(name: "PipelineSpecTests", dependencies: ["PipelineSpec", "PipelineFileLoading", "LeadHygiene", "TestSupport"]),
        .testTarget(name: "PipelineExecutionTests", dependencies: ["PipelineExecution", "PipelineSpec", "LeadRecords", "LeadIO", "TestSupport"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReportHTMLTests", dependencies: ["ReportHTML", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WebTests", dependencies: ["Web", "TestSupport"]),
        .testTarget(name: "NormalizeStageTests", dependencies: ["NormalizeStage", "PipelineSpec", "TestSupport"]),
        .testTarget(name: "EmailCheckStageTests", dependencies: ["EmailCheckStage", "LeadFacts", "PipelineSpec", "PipelineFileLoading", "TestSupport", "DomainNames",
                                                                 .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "ScrapeStageTests", dependencies: ["ScrapeStage", "Web", "PipelineSpec", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "DedupeStageTests", dependencies: ["DedupeStage", "LeadFacts", "PipelineSpec", "LeadSampleGenerator", "ContactListGenerator", "TestSupport"]),
        .testTarget(name: "FirmographicMergeStageTests", dependencies: ["FirmographicMergeStage", "PipelineSpec", "RunStore", "TestSupport"]),
        .testTarget(name: "ComplianceStageTests", dependencies: ["ComplianceStage", "PipelineSpec", "LeadRecords", "TestSupport"]),
        .testTarget(name: "DecayStageTests", dependencies: ["DecayStage", "LeadHygiene", "PipelineSpec", "RunStore", "TestSupport"]),
        .testTarget(name: "ScoreStageTests", dependencies: ["ScoreStage", "RowExpressions", "PipelineSpec", "LeadRecords", "TestSupport"]),
        .testTarget(name: "RouteStageTests", dependencies: ["RouteStage", "RowExpressions", "PipelineSpec", "LeadRecords", "TestSupport"]),
        .testTarget(name: "LeadSampleGeneratorTests", dependencies: ["LeadSampleGenerator"]),
        .testTarget(name: "ContactListGeneratorTests", dependencies: ["ContactListGenerator"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LeadHygiene", "leadhygiene", "PipelineFileLoading", "RunStore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
