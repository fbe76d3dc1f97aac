import Foundation
import Testing
import TestSupport

/// What a run must never do, whatever it is given: lose rows while saying ✓, destroy a file it was not
/// asked to write, publish half a set, hang, crash on an option value, or leave litter. Each test runs
/// the built binary on a case that once happened.
@Suite("What a run guarantees")
struct DataSafetyTests {
    static let leads = """
    Email,First Name,Company
    ann@acme.com,Ann,Acme
    bob@globex.com,Bob,Globex
    broken,row,x,y

    """

    func pipeline(_ dir: TemporaryDirectory, output: String = "path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json",
                  extra: String = "") throws {
        try dir.write("leads.csv", Self.leads)
        try dir.write("p.yml", """
        input: { path: leads.csv }
        output: { \(output) }
        stages:
          - normalize: {}
        \(extra)
        """)
    }

    func leadhygiene(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String]? = nil) throws -> ProcessResult {
        // `timeout` turns a hang into a failure instead of a stuck test run.
        try ProcessRunner.run("/usr/bin/timeout", ["120", ProcessRunner.product("leadhygiene")] + arguments,
                              currentDirectory: dir.url, environment: environment)
    }

    // MARK: Rows lost

    @Test func aJSONLKeyGivenTwiceRejectsTheLineNamingTheKey() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.jsonl", #"{"Lead ID":"L1","Lead ID":"L2","Email":"a@b.com"}"# + "\n" + #"{"Lead ID":"L3","Email":"c@d.com"}"# + "\n")
            try dir.write("p.yml", "input: { path: leads.jsonl }\noutput: { path: out/clean.jsonl, rejects: out/rejects.csv }\nstages: [normalize]\n")
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("rows_in 2 = rows_out 1 + rows_rejected 1"))
            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("1,input,jsonl_duplicate_key,key 'Lead ID' is given twice"))
        }
    }

    // MARK: Paths that collide

    @Test(arguments: [
        ("path: out/clean.csv, report: out/clean.csv", "output and report name the same file"),
        ("path: out/clean.csv, rejects: out/clean.csv", "output and rejects name the same file"),
        ("path: leads.csv", "input and output name the same file"),
        ("path: out/../leads.csv", "input and output name the same file"),
        ("path: out/clean.csv, merged: out/./clean.csv", "output and merged name the same file"),
        ("path: p.yml", "pipeline file and output name the same file"),
    ])
    func collidingPathsAreRefusedBeforeAnythingIsReadOrWritten(output: String, message: String) throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: output)
            try dir.write("out/clean.csv", "last week's list\n")
            let before = (try dir.read("leads.csv"), try dir.read("p.yml"))
            for command in ["lint", "run"] {
                let result = try leadhygiene([command, "p.yml"], in: dir)
                #expect(result.status == 2, "\(command): \(result.stdout)\(result.stderr)")
                #expect((result.stdout + result.stderr).contains("p.yml:2:"), "\(command): \(result.stdout)\(result.stderr)")
                #expect((result.stdout + result.stderr).contains(message), "\(command): \(result.stdout)\(result.stderr)")
            }
            #expect(try dir.read("out/clean.csv") == "last week's list\n")
            #expect(try (dir.read("leads.csv"), dir.read("p.yml")) == before)
        }
    }

    @Test func aSymbolicOrHardLinkToTheInputIsTheInput() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "path: out/link.csv")
            try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
            #expect(symlink(dir.path("leads.csv"), dir.path("out/link.csv")) == 0)
            let viaSymlink = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(viaSymlink.status == 2)
            #expect(viaSymlink.stderr.contains("input and output name the same file"))
            #expect(link(dir.path("leads.csv"), dir.path("hard.csv")) == 0)
            let viaHardLink = try leadhygiene(["run", "p.yml", "--output", "hard.csv"], in: dir)
            #expect(viaHardLink.status == 2)
            #expect(viaHardLink.stderr.contains("(one file on disk)"))
            #expect(try dir.read("leads.csv") == Self.leads)
        }
    }

    @Test func commandLinePathsAreCheckedToo() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try leadhygiene(["run", "p.yml", "--report", "out/clean.csv"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("output and report name the same file"))
        }
    }

    // MARK: Special files

    @Test func aCharacterDeviceIsWrittenIntoNotReplaced() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "path: out/null, rejects: out/rejects.csv")
            try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
            // A private null device (major 1, minor 3), so a mistake replaces this node, not the machine's /dev/null.
            guard mknod(dir.path("out/null"), S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else { return }
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            var info = stat()
            #expect(lstat(dir.path("out/null"), &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFCHR)
            #expect(try dir.read("out/rejects.csv").contains("csv_wrong_column_count"))
        }
    }

    @Test func aFIFOOutputIsWrittenIntoAndAFullDiskFailsWithAReport() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "path: out/pipe, report: out/report.json")
            try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
            #expect(mkfifo(dir.path("out/pipe"), 0o600) == 0)
            let received = Mutexed(Data())
            let reader = Thread {
                if let handle = FileHandle(forReadingAtPath: dir.path("out/pipe")) { received.set(handle.readDataToEndOfFile()) }
            }
            reader.start()
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            while reader.isExecuting { usleep(10_000) }
            #expect(String(decoding: received.get(), as: UTF8.self).contains("ann@acme.com"))
            var info = stat()
            #expect(lstat(dir.path("out/pipe"), &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)

            // /dev/full answers every write with ENOSPC: the disk-full case, without filling a disk.
            let full = try leadhygiene(["run", "p.yml", "--output", "/dev/full"], in: dir)
            #expect(full.status == 1)
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["status"] as? String == "failed")
            #expect((report?["failure"] as? String)?.contains("No space left on device") == true)
        }
    }

    @Test func aSymbolicLinkOutputStaysALinkAndItsTargetIsReplaced() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "path: current.csv")
            try dir.write("archive/week49.csv", "old\n")
            #expect(symlink("archive/week49.csv", dir.path("current.csv")) == 0)
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path("current.csv")) == "archive/week49.csv")
            #expect(try dir.read("archive/week49.csv").contains("ann@acme.com"))
        }
    }

    // MARK: Publishing all or nothing

    @Test func aRunKilledAtAnyStepOfPublishingLeavesOneWeeksSetAfterTheNextCommand() throws {
        let week2 = Self.leads + "carl@initech.com,Carl,Initech\ndee,only,two,extra\n"
        // Three files (output, rejects, report): step 1 journal in place, 2–4 the renames, 5 journal removed.
        for step in 1...5 {
            try withTemporaryDirectory { dir in
                try pipeline(dir)
                #expect(try leadhygiene(["run", "p.yml", "--quiet"], in: dir).status == 0)
                try dir.write("leads.csv", week2)
                let killed = try leadhygiene(["run", "p.yml", "--quiet"], in: dir,
                                             environment: ["LEADHYGIENE_ABORT_AFTER_PUBLISH_STEP": "\(step)"])
                #expect(killed.status != 0, "step \(step)")
                // Any command touching these paths finishes the publish first.
                #expect(try leadhygiene(["lint", "p.yml"], in: dir).status == 0)
                let clean = try dir.read("out/clean.csv").split(separator: "\n")
                let rejects = try dir.read("out/rejects.csv").split(separator: "\n")
                let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
                #expect(clean.count == 4, "step \(step): \(clean)")
                #expect(rejects.count == 3, "step \(step): \(rejects)")
                #expect(report?["rows_in"] as? Int == 5, "step \(step)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).filter { $0.hasPrefix(".") }
                #expect(leftovers.isEmpty, "step \(step): \(leftovers)")
            }
        }
    }

    @Test func aReportThatCannotBeWrittenStopsTheRunBeforeAnythingIsPublishedOrRecorded() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, output: "path: out/clean.csv, report: notafolder/report.json", extra: "store: store.sqlite")
            try dir.write("notafolder", "a file where a folder should be\n")
            try dir.write("out/clean.csv", "last week's list\n")
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderr.contains("notafolder"))
            #expect(try dir.read("out/clean.csv") == "last week's list\n")
            #expect(!dir.exists("store.sqlite"))
        }
    }

    // MARK: Hangs, crashes, litter

    @Test func aFIFOInputWithAStoreFinishesAndIsChecksummed() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, extra: "store: store.sqlite")
            #expect(mkfifo(dir.path("leads.fifo"), 0o600) == 0)
            let writer = Thread {
                if let handle = FileHandle(forWritingAtPath: dir.path("leads.fifo")) {
                    handle.write(Data(Self.leads.utf8))
                    try? handle.close()
                }
            }
            writer.start()
            let result = try leadhygiene(["run", "p.yml", "--input", "leads.fifo", "--quiet"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try dir.read("out/clean.csv").contains("bob@globex.com"))
        }
    }

    @Test(arguments: [
        ("chunk_size: 2000000000", "p.yml:2:13: error: option 'chunk_size' of pipeline file must be within 1…65536, found 2000000000"),
        ("input: { path: leads.csv, max_record_bytes: 9223372036854775807 }",
         "p.yml:2:45: error: option 'max_record_bytes' of option 'input' of pipeline file must be within 256…1073741824, found 9223372036854775807"),
        ("input: { path: leads.csv, max_record_bytes: 0 }", "must be within 256…1073741824, found 0"),
        ("jobs: 100000", "option 'jobs' of pipeline file must be within 1…256"),
    ])
    func optionValuesOutsideTheirRangeAreErrorsNotCrashes(line: String, message: String) throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            let input = line.hasPrefix("input:") ? "" : "input: { path: leads.csv }\n"
            try dir.write("p.yml", "stages: [normalize]\n\(line)\n\(input)")
            for command in ["lint", "run"] {
                let result = try leadhygiene([command, "p.yml"], in: dir)
                #expect(result.status == 2, "\(command)")
                #expect((result.stdout + result.stderr).contains(message), "\(command): \(result.stdout)\(result.stderr)")
            }
        }
    }

    @Test func pipelineFilesThatAreNoPipelineFilesAreRefusedQuicklyAndBriefly() throws {
        try withTemporaryDirectory { dir in
            try dir.write("huge.yml", String(repeating: "# padding\n", count: 120_000))
            let huge = try leadhygiene(["lint", "huge.yml"], in: dir)
            #expect(huge.status == 2)
            #expect(huge.stdout.contains("huge.yml:1:1: error: pipeline file is larger than 1024 KiB"))

            let bad = (1...300).map { "bad_key_\($0): 1" }.joined(separator: "\n")
            try dir.write("many.yml", "stages: [normalize]\n" + bad + "\n")
            let many = try leadhygiene(["lint", "many.yml"], in: dir)
            #expect(many.status == 2)
            #expect(many.stdout.split(separator: "\n").count == 51)
            #expect(many.stdout.contains("… and 251 more problems"))

            try dir.write("latin1.yml", bytes: Array("name: weekly\ndescription: caf".utf8) + [0xE9] + Array("\nstages: [normalize]\n".utf8))
            let latin1 = try leadhygiene(["lint", "latin1.yml"], in: dir)
            #expect(latin1.status == 2)
            #expect(latin1.stdout.contains("latin1.yml:2:17: error: pipeline file is not UTF-8 (byte 0xE9)"))
        }
    }

    @Test func staleTemporaryFilesOfDeadProcessesAreRemovedAndAClosedPipeStopsTheRunCleanly() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            // The highest pid Linux hands out; no process here has it.
            try dir.write("out/.clean.csv.tmp-4194303", "half a list from a killed run\n")
            #expect(try leadhygiene(["run", "p.yml", "--quiet"], in: dir).status == 0)
            #expect(!dir.exists("out/.clean.csv.tmp-4194303"))

            // `--output - | head -1`: the reader stops after one line; the run cleans up and exits 141.
            let rows = (1...30_000).map { "user\($0)@example.com,User,Example Corp \($0)" }.joined(separator: "\n")
            try dir.write("leads.csv", "Email,First Name,Company\n" + rows + "\n")
            let piped = try ProcessRunner.run("/bin/bash", ["-c", "set -o pipefail; \(ProcessRunner.product("leadhygiene")) run p.yml --output - | head -n 1 >/dev/null; echo \"status=${PIPESTATUS[0]}\""],
                                              currentDirectory: dir.url)
            #expect(piped.stdout.contains("status=141"), "\(piped.stdout) \(piped.stderr)")
            #expect(piped.stderr.contains("standard output was closed by its reader"))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test func aWholeListStageThatWouldNotFitFailsCleanlyWithTheFigures() throws {
        try withTemporaryDirectory { dir in
            let rows = (1...40_000).map { "user\($0)@example\($0 % 500).com,User\($0),Example \($0 % 500)" }.joined(separator: "\n")
            try dir.write("leads.csv", "Email,First Name,Company\n" + rows + "\n")
            try dir.write("out/clean.csv", "last week's list\n")
            try dir.write("p.yml", """
            input: { path: leads.csv }
            output: { path: out/clean.csv, report: out/report.json }
            max_memory: 2MiB
            stages:
              - normalize: {}
              - dedupe: {}
            """)
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("stage 'dedupe' holds every row at once"))
            #expect(result.stderr.contains("that max_memory allows"))
            #expect(try dir.read("out/clean.csv") == "last week's list\n")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["status"] as? String == "failed")

            try dir.write("p.yml", "input: { path: leads.csv }\nmax_memory: lots\nstages: [normalize]\n")
            let lint = try leadhygiene(["lint", "p.yml"], in: dir)
            #expect(lint.stdout.contains("p.yml:2:1: error: max_memory must be a size of at least 1MiB"))
        }
    }

    @Test func aDryRunWritesNothingAndALimitedRunIsNotRecorded() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir, extra: "store: out/store.sqlite")
            let dry = try leadhygiene(["run", "p.yml", "--dry-run"], in: dir)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stderr.contains("rows_in 3 = rows_out 2 + rows_rejected 1"))
            #expect(dry.stderr.contains("note: --dry-run: every stage ran, nothing was written"))
            #expect(!dir.exists("out"))

            let limited = try leadhygiene(["run", "p.yml", "--limit", "1", "--quiet"], in: dir)
            #expect(limited.status == 0, "\(limited.stderr)")
            #expect(try dir.read("out/clean.csv").split(separator: "\n").count == 2)
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["rows_in"] as? Int == 1)
            #expect(!dir.exists("out/store.sqlite"))
        }
    }

    @Test func anEmptyInputFailsWithExitOneAndAReport() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            try dir.write("leads.csv", "")
            let result = try leadhygiene(["run", "p.yml"], in: dir)
            #expect(result.status == 1, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any]
            #expect(report?["status"] as? String == "failed")
        }
    }
}
