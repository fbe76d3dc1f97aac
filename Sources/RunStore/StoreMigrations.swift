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
        // A lead's enrichment values are stored once: a value with its field, source and as-of date is one
        // `enrichment_fact`, a lead's facts one `enrichment_set` shared by every lead (and run) with the same
        // values, and the lead's `run_lead` row points at its set (SharedEnrichmentInsert). Runs recorded
        // before keep their values in `enrichment_value`, read as before; so do values of an entity a run has
        // no snapshot of.
        migrator.registerMigration("v-shared-enrichment") { db in
            // A field as one source supplied it: the same few dozen for every value.
            try db.create(table: "enrichment_provenance") { t in
                t.primaryKey("id", .integer)
                t.column("field", .text).notNull()
                t.column("source", .text).notNull()
                t.column("as_of", .text).notNull()
            }
            try db.create(table: "enrichment_fact") { t in
                t.primaryKey("id", .integer)
                t.column("provenance_id", .integer).notNull()
                t.column("value", .text).notNull()
            }
            // `fact_ids`: the set's fact ids in field order, as varints (EnrichmentSetBlob). No index: a
            // commit loads the sets, facts and provenances it shares into memory (ByteStringIDs).
            try db.create(table: "enrichment_set") { t in
                t.primaryKey("id", .integer)
                t.column("fact_ids", .blob).notNull()
            }
            try db.alter(table: "run_lead") { t in t.add(column: "enrichment_set_id", .integer) }
        }
        // A version's repeated texts (names, title, company, domain, statuses, disposition, the email's
        // part after its `@`) are stored once in `lead_text`; the version (`lead_record`) keeps their ids,
        // its entity id and the email's part before the `@`. `lead_version` becomes a view that joins them
        // back, so every read sees the columns it saw. Existing versions move over with their ids, which
        // `run_lead` points at.
        migrator.registerMigration("v-lead-text") { db in
            try db.execute(sql: """
                CREATE TABLE lead_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
                CREATE TABLE lead_record (
                    id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL, email_local TEXT NOT NULL, email_domain_id INTEGER,
                    first_name_id INTEGER, last_name_id INTEGER, title_id INTEGER, company_id INTEGER, domain_id INTEGER,
                    email_status_id INTEGER, web_status_id INTEGER, web_redirect_domain_id INTEGER, disposition_id INTEGER);
                CREATE INDEX migration_lead_text_by_text ON lead_text (text);
                INSERT INTO lead_text (text) SELECT text FROM (
                    SELECT substr(email, instr(email, '@') + 1) AS text FROM lead_version WHERE instr(email, '@') > 0
                    \(StoreMigrations.textColumns.map { "UNION SELECT \($0) FROM lead_version WHERE \($0) <> ''" }.joined(separator: "\n    ")));
                INSERT INTO lead_record
                SELECT id, entity_id,
                    CASE WHEN instr(email, '@') > 0 THEN substr(email, 1, instr(email, '@') - 1) ELSE email END,
                    CASE WHEN instr(email, '@') > 0 THEN (SELECT t.id FROM lead_text t WHERE t.text = substr(email, instr(email, '@') + 1)) END,
                    \(StoreMigrations.textColumns.map { "(SELECT t.id FROM lead_text t WHERE t.text = NULLIF(\($0), ''))" }.joined(separator: ",\n    "))
                FROM lead_version;
                DROP INDEX migration_lead_text_by_text;
                DROP TABLE lead_version;
                CREATE INDEX lead_record_by_entity ON lead_record (entity_id, id);
                CREATE VIEW lead_version AS
                SELECT r.id AS id, r.entity_id AS entity_id,
                    CASE WHEN r.email_domain_id IS NULL THEN r.email_local ELSE r.email_local || '@' || ed.text END AS email,
                    \(StoreMigrations.textColumns.map { "COALESCE(t_\($0).text, '') AS \($0)" }.joined(separator: ",\n    "))
                FROM lead_record r LEFT JOIN lead_text ed ON ed.id = r.email_domain_id
                \(StoreMigrations.textColumns.map { "LEFT JOIN lead_text t_\($0) ON t_\($0).id = r.\($0)_id" }.joined(separator: "\n"));
                """)
        }
        // route's owners, so a lead keeps its rep next week while the rep is still in the pool. One row
        // per lead key, from the last recorded run that routed it to a pool; pruning that run drops it.
        migrator.registerMigration("v-route-assignments") { db in
            try db.create(table: "route_assignment", options: .withoutRowID) { t in
                t.primaryKey("lead_key", .text)
                t.column("owner", .text).notNull()
                t.column("pool", .text).notNull()
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            }
            try db.create(index: "route_assignment_by_run", on: "route_assignment", columns: ["run_id"])
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

        // A run's leads packed into blobs of a few thousand (`run_lead_pack`, RunLeadPack) instead of a row each in
        // `run_lead`, and dedupe's remembered record keys likewise (`entity_key_pack`, EntityKeyPack): about 9 and 12
        // bytes a lead instead of 29 and 36. The index of versions by entity goes: a commit finds a lead's last
        // version beside the history's previous run, in entity order (SharedSnapshotInsert).
        migrator.registerMigration("v-packed-runs") { db in
            try db.execute(sql: """
                CREATE TABLE run_lead_pack (
                    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    lead_count INTEGER NOT NULL, leads BLOB NOT NULL);
                CREATE INDEX run_lead_pack_by_run ON run_lead_pack (run_id, id);
                CREATE TABLE entity_key_pack (id INTEGER PRIMARY KEY, key_count INTEGER NOT NULL, keys BLOB NOT NULL);
                """)
            for runID in try Int64.fetchAll(db, sql: "SELECT DISTINCT run_id FROM run_lead ORDER BY run_id") {
                var packs = try RunLeadPacks.Writer(runID: runID, db: db)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT r.version_id, r.line, r.decay_status, r.decay_score, r.enrichment_set_id
                    FROM run_lead r LEFT JOIN lead_record v ON v.id = r.version_id
                    WHERE r.run_id = ? ORDER BY v.entity_id, r.version_id
                    """, arguments: [runID])
                while let row = try rows.next() {
                    try packs.append(RunLeadEntry(versionID: row[0], line: row[1], decayStatus: row[2], decayScore: row[3],
                                                  enrichmentSetID: row[4]))
                }
                try packs.finish()
            }
            try db.execute(sql: "DROP TABLE run_lead")
            let keys = try Row.fetchAll(db, sql: """
                SELECT record_key, entity_id,
                    CASE typeof(updated_at) WHEN 'integer' THEN updated_at
                    ELSE COALESCE(CAST(strftime('%s', updated_at) AS INTEGER), 0) END
                FROM entity_key
                """).map { EntityKeyEntry(recordKey: $0[0], entityID: $0[1], updatedAt: $0[2]) }
            try EntityKeyPacks.replace(with: keys, db: db)
            try db.execute(sql: "DROP TABLE entity_key")
            try db.execute(sql: "DROP INDEX lead_record_by_entity")
        }

        return migrator
    }

    /// The texts of a lead version other than its entity id and email, which `lead_text` holds once (`v-lead-text`).
    static let textColumns = ["first_name", "last_name", "title", "company", "domain", "email_status", "web_status",
                              "web_redirect_domain", "disposition"]

    /// The migrations this build knows, in order; a store that has applied others was written by a newer build.
    static var knownIdentifiers: [String] { migrator.migrations }
}
