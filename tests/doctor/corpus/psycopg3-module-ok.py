# Modelled on https://github.com/psycopg/psycopg2/issues/1540 (random "cursor already closed" on long-lived connections; psycopg 3 says when a connection is broken)
import os

import psycopg

_conn = None


def _connection():
    global _conn
    if _conn is None or _conn.closed or _conn.broken:
        _conn = psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5, autocommit=True)
    return _conn


def handler(event, context):
    try:
        return _connection().execute("SELECT * FROM interviews WHERE id = %s", (event["id"],)).fetchone()
    except psycopg.OperationalError:
        global _conn
        _conn = None
        raise
