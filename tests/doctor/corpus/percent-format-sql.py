# Modelled on https://github.com/biolab/orange3/issues/1873 (SQL sent through a long-lived psycopg2 connection, formatted by hand)
import os

import psycopg2

conn = None


def handler(event, context):
    global conn
    if conn is None or conn.closed:
        conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT * FROM %s LIMIT 100" % event["table"])  # expect: sql-built-from-strings
            return cur.fetchall()
    except psycopg2.OperationalError:
        conn = None
        raise
