"""What a run store holds, table by table, for comparing the store a Spark run recorded (`leadhygiene store import`)
with the one a one-machine `leadhygiene run` recorded: every row of every table, sorted, leaving out what differs
by nature: when the runs started and finished, where their files were, and the entity-id packs' bytes, which hold
the wall-clock second each key was staged (their key counts are compared, and the packs decoded: which record key
keeps which entity id, entity_ids)."""

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


def varint(blob, at):
    """An unsigned LEB128 varint of `blob` at `at` (as Sources/RunStore/Packed/PackedBytes.swift writes it), and where
    the next value starts."""
    value = shift = 0
    while True:
        byte = blob[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def entity_ids(path):
    """{record key: entity id} of the store's entity_key_pack table, decoded as EntityKeyPack lays a pack out (format;
    the distinct times; the key count; per key its length shared with the key before, the rest, the id as 1 and 6
    bytes or 0 and a string, the time's index); when each id was given is left out."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        blobs = [bytes(blob) for (blob,) in db.execute("SELECT keys FROM entity_key_pack ORDER BY id")]
    finally:
        db.close()
    ids = {}
    for blob in blobs:
        _, at = varint(blob, 0)
        times, at = varint(blob, at)
        for _ in range(times):
            _, at = varint(blob, at)
        count, at = varint(blob, at)
        key = b""
        for _ in range(count):
            shared, at = varint(blob, at)
            length, at = varint(blob, at)
            key = key[:shared] + blob[at:at + length]
            at += length
            if blob[at] == 1:
                entity = "E%012x" % int.from_bytes(blob[at + 1:at + 7], "big")
                at += 7
            else:
                length, at = varint(blob, at + 1)
                entity = blob[at:at + length].decode("utf-8")
                at += length
            _, at = varint(blob, at)
            ids[key.decode("utf-8")] = entity
    return ids


def differences(one_machine, spark):
    """The tables whose contents differ, as lines naming both counts and digests, and the record keys whose entity
    ids differ."""
    a, b = contents(one_machine), contents(spark)
    found = [f"store table {t}: one machine {a.get(t)}, spark {b.get(t)}" for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]
    ids_a, ids_b = entity_ids(one_machine), entity_ids(spark)
    keys = sorted(k for k in set(ids_a) | set(ids_b) if ids_a.get(k) != ids_b.get(k))
    if keys:
        found.append(f"store entity ids: {len(keys)} record keys differ, such as "
                     + ", ".join(f"{k}: one machine {ids_a.get(k)}, spark {ids_b.get(k)}" for k in keys[:5]))
    return found
