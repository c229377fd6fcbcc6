# Modelled on https://github.com/instacart/jardin-archived/pull/59 (reset the connection when an InterfaceError says it is closed)
import os

import psycopg2

DSN = os.environ["DATABASE_DSN"]
conn = None


def _connect():
    return psycopg2.connect(DSN, connect_timeout=5, sslmode="verify-full", sslrootcert="global-bundle.pem")


def lambda_handler(event, context):
    global conn
    if conn is None or conn.closed:
        conn = _connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT balance FROM accounts WHERE id = %s", (event["id"],))
            return cur.fetchone()
    except (psycopg2.InterfaceError, psycopg2.OperationalError):
        conn = _connect()
        raise
