# Modelled on https://github.com/NangoHQ/nango/pull/2003 (sslmode=require against RDS because its certificate is not trusted by default)
import os

import psycopg2

conn = None


def handler(event, context):
    global conn
    if conn is None or conn.closed:
        conn = psycopg2.connect(host=os.environ["DB_HOST"], dbname="sync", user="sync", sslmode="require", connect_timeout=5)  # expect: tls-unverified
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT * FROM connections WHERE id = %s", (event["id"],))
            return cur.fetchone()
    except psycopg2.OperationalError:
        conn = None
        raise
