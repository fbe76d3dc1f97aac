import ArgumentParser
import Foundation
import LeadHygiene
import RunStore

/// `leadhygiene forget --store S (--email ADDRESS… | --list FILE) [--request-id ID]`: an erasure request
/// (GDPR Art. 17, CCPA deletion) carried out on the run store. docs/privacy.md says what is kept and why.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase people from a run store: every row about them, with the bytes overwritten, and a tombstone so later runs reject them.",
        discussion: """
            Each address is matched by mailbox identity (Jo.Doe+x@Gmail.com is jodoe@gmail.com) and erased in one \
            transaction; the write-ahead log is then checkpointed and truncated. A keyed hash of the address is kept \
            (with the time and --request-id) so a compliance stage rejects the person as erased_subject. Output files \
            that earlier runs wrote and that still contain the address are listed: delete or re-run them yourself.
            """)

    @Option(help: "The run store (SQLite file).") var store: String
    @Option(name: .customLong("email"), parsing: .upToNextOption, help: "Addresses to erase.") var emails: [String] = []
    @Option(help: "A file of addresses to erase, one per line (or a CSV whose first column is the address).") var list: String?
    @Option(help: "The request's reference, kept with the tombstone (a ticket number).") var requestID: String = ""

    func validate() throws {
        if emails.isEmpty && list == nil { throw ValidationError("name the people to forget with --email ADDRESS… or --list FILE") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else {
            printError("error: no run store at \(store)")
            throw ExitCode(ExitStatus.runFailed)
        }
        var addresses = emails.map { (address: $0, origin: "--email") }
        if let list {
            do {
                addresses += try SubjectErasure.addresses(inList: list)
            } catch {
                printError("error: cannot read \(list): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.runFailed)
            }
        }
        let results: [SubjectErasure.Result]
        do {
            results = try SubjectErasure(storePath: store).erase(addresses, requestID: requestID)
        } catch let error as SubjectErasure.UnreadableAddress {
            printError("error: \(error); nothing was erased")
            throw ExitCode(ExitStatus.runFailed)
        } catch let error as RunStoreError {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.runFailed)
        }
        for result in results {
            let outcome = result.outcome
            print("forgot \(result.address)\(outcome.wasErasedBefore ? " (erased before; tombstone renewed)" : "")")
            if outcome.deleted.isEmpty { print("  the store held no rows about this person") }
            for (table, rows) in outcome.deleted { print("  deleted \(rows) \(table) row\(rows == 1 ? "" : "s")") }
            if !outcome.runIDs.isEmpty { print("  runs that held the person: \(outcome.runIDs.map(String.init).joined(separator: ", "))") }
            print("  tombstone kept: keyed hash of the mailbox identity\(requestID.isEmpty ? "" : ", request \(requestID)")")
            if result.filesStillHolding.isEmpty {
                print("  no recorded output file still holds the address")
            } else {
                print("  output files of earlier runs that still hold the address (delete or regenerate them):")
                for file in result.filesStillHolding { print("    \(file.path) (run \(file.runID), \(file.role))") }
            }
        }
        print("the store's write-ahead log was checkpointed and truncated; freed pages were overwritten (secure_delete)")
    }
}
