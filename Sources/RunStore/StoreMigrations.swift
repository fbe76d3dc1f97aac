import Foundation
import GRDB

/// The store's schema, as versioned migrations. A migration, once released, never changes:
/// schema changes are new migrations appended at the end, so old store files upgrade in place.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1_runs_snapshots_caches_enrichment") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pipeline", .text).notNull()
                t.column("input_checksum", .text).notNull()
                t.column("reference_time", .datetime).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime).notNull()
                t.column("rows_in", .integer).notNull()
                t.column("rows_active", .integer).notNull()
                t.column("rows_rejected", .integer).notNull()
                t.column("rows_merged", .integer).notNull()
                t.column("snapshot_count", .integer).notNull()
                t.column("summary_json", .text).notNull().defaults(to: "{}")
            }
            try db.create(index: "run_by_pipeline", on: "run", columns: ["pipeline", "id"])

            // WITHOUT ROWID: the (run, entity) key is the only access path, so the key is the table.
            try db.create(table: "lead_snapshot", options: .withoutRowID) { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("entity_id", .text).notNull()
                t.column("line", .integer).notNull()
                t.column("email", .text).notNull()
                t.column("first_name", .text).notNull()
                t.column("last_name", .text).notNull()
                t.column("title", .text).notNull()
                t.column("company", .text).notNull()
                t.column("domain", .text).notNull()
                t.column("email_status", .text).notNull()
                t.column("web_status", .text).notNull()
                t.column("web_redirect_domain", .text).notNull()
                t.column("decay_status", .text).notNull()
                t.column("decay_score", .double)
                t.column("disposition", .text).notNull()
                t.primaryKey(["run_id", "entity_id"])
            }

            try db.create(table: "enrichment_value", options: .withoutRowID) { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("entity_id", .text).notNull()
                t.column("field", .text).notNull()
                t.column("value", .text).notNull()
                t.column("source", .text).notNull()
                t.column("as_of", .text).notNull()
                t.primaryKey(["run_id", "entity_id", "field"])
            }

            try db.create(table: "dns_verdict", options: .withoutRowID) { t in
                t.primaryKey("domain", .text)
                t.column("verdict_json", .text).notNull()
                t.column("resolved_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
            }

            try db.create(table: "http_page", options: .withoutRowID) { t in
                t.primaryKey("url", .text)
                t.column("status", .integer).notNull()
                t.column("headers_json", .text).notNull()
                t.column("body_hash", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("fetched_at", .datetime).notNull()
            }
        }
        // dedupe's memory of which entity each row belonged to, so an entity keeps its id next week.
        migrator.registerMigration("v2_entity_keys") { db in
            try db.create(table: "entity_key", options: .withoutRowID) { t in
                t.primaryKey("record_key", .text)
                t.column("entity_id", .text).notNull()
                t.column("updated_at", .datetime).notNull()
            }
        }
        // email_check's SMTP answers, so a weekly run does not probe the same mailboxes again: per address
        // (accepted, mailbox not found, accept-all) and per domain (the catch-all test).
        migrator.registerMigration("v-smtp-verdicts") { db in
            try db.create(table: "smtp_address_verdict", options: .withoutRowID) { t in
                t.primaryKey("address", .text)
                t.column("outcome", .text).notNull()
                t.column("reply", .text).notNull()
                t.column("probed_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
            }
            try db.create(table: "smtp_domain_verdict", options: .withoutRowID) { t in
                t.primaryKey("domain", .text)
                t.column("accepts_any_mailbox", .boolean).notNull()
                t.column("reply", .text).notNull()
                t.column("probed_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
            }
        }
        // A lead's snapshot is stored once for as long as it does not change: `lead_version` holds
        // the fields that rarely change, each run's `run_lead` row points at the version it saw and
        // keeps what changes every run (input line, decay status and score). Runs recorded before
        // this migration keep their rows in `lead_snapshot`, read as before (see SnapshotLayout).
        migrator.registerMigration("v-snapshot-sharing") { db in
            try db.create(table: "lead_version") { t in
                t.primaryKey("id", .integer)
                t.column("entity_id", .text).notNull()
                t.column("email", .text).notNull()
                t.column("first_name", .text).notNull()
                t.column("last_name", .text).notNull()
                t.column("title", .text).notNull()
                t.column("company", .text).notNull()
                t.column("domain", .text).notNull()
                t.column("email_status", .text).notNull()
                t.column("web_status", .text).notNull()
                t.column("web_redirect_domain", .text).notNull()
                t.column("disposition", .text).notNull()
            }
            // An entity's newest version, which the next run's snapshot is compared with.
            try db.create(index: "lead_version_by_entity", on: "lead_version", columns: ["entity_id", "id"])
            // No foreign key to lead_version: pruning deletes a run's rows (cascade), then the versions
            // no remaining row points at (RunStore.pruneRuns).
            try db.create(table: "run_lead", options: .withoutRowID) { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("version_id", .integer).notNull()
                t.column("line", .integer).notNull()
                t.column("decay_status", .text).notNull()
                t.column("decay_score", .double)
                t.primaryKey(["run_id", "version_id"])
            }
        }

        // `leadhygiene forget`: the store's secret key for erasure tombstones (generated here, once per store),
        // the tombstones (keyed hashes, never addresses), and the files each run wrote, so forget can say which
        // outputs outside the store still hold an erased person.
        migrator.registerMigration("v-erasure") { db in
            try db.create(table: "erasure_key") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("key", .blob).notNull()
            }
            var generator = SystemRandomNumberGenerator()
            let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            try db.execute(sql: "INSERT INTO erasure_key (id, key) VALUES (1, ?)", arguments: [key])
            try db.create(table: "erasure_tombstone", options: .withoutRowID) { t in
                t.primaryKey("subject_hash", .text)
                t.column("erased_at", .datetime).notNull()
                t.column("request_id", .text).notNull()
            }
            // The key's columns first: SQLite 3.40's integrity_check misreads a WITHOUT ROWID table whose
            // key columns are not its leading ones ("NULL value in run_output.role").
            try db.create(table: "run_output", options: .withoutRowID) { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("path", .text).notNull()
                t.column("role", .text).notNull()
                t.primaryKey(["run_id", "path"])
            }
        }

        return migrator
    }

    /// The migrations this build knows, in order; a store that has applied others was written by a newer build.
    static var knownIdentifiers: [String] { migrator.migrations }
}
