"""What one query may cost: at most 64 MB of text or blob in any value (``hex(randomblob(4e8))`` asked 3.7 GB of one
anonymous GET), and SQLite's heap for the whole server capped at 1 GB. The time limit is Datasette's own setting
(sql_time_limit_ms, 3 s). Applied to every connection Datasette opens."""

import sqlite3

from datasette import hookimpl

MAX_VALUE_BYTES = 64 * 1024 * 1024
HEAP_LIMIT_BYTES = 1024 * 1024 * 1024


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute(f"pragma hard_heap_limit = {HEAP_LIMIT_BYTES}")
