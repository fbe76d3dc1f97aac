"""What a run store holds, table by table, for comparing the store a Spark run recorded (`leadhygiene store import`)
with the one a one-machine `leadhygiene run` recorded: every row of every table, sorted, leaving out what differs
by nature: when the runs started and finished, where their files were, and the entity-id packs' bytes, which hold
the wall-clock second each key was staged (their key counts are compared; the ids themselves are in the clean
files' entity columns, compared byte for byte, and the second week's ids come from the first week's packs)."""

import hashlib
import sqlite3

# Columns that say when a run ran or where its files were: not the run's data.
APART = {"run": {"started_at", "finished_at"}, "run_output": {"path"}, "entity_key_pack": {"keys"},
         "erasure_key": {"key"}, "grdb_migrations": set()}


def contents(path):
    """{table: (row count, sha256 of its sorted rows)} with the APART columns left out."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        result = {}
        for table in tables:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c not in APART.get(table, set())]
            rows = sorted(repr(row) for row in db.execute(f"SELECT {', '.join(kept)} FROM {table}")) if kept else []
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
        return result
    finally:
        db.close()


def differences(one_machine, spark):
    """The tables whose contents differ, as lines naming both counts and digests."""
    a, b = contents(one_machine), contents(spark)
    return [f"store table {t}: one machine {a.get(t)}, spark {b.get(t)}" for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]
