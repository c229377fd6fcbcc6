# Modelled on https://github.com/re3turn/twicrawler/issues/45 (a crawler's store with a long-lived connection; queries built with f-strings)
import os

import psycopg2

conn = None


def connection():
    global conn
    if conn is None or conn.closed:
        conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
    return conn


def lambda_handler(event, context):
    try:
        with connection().cursor() as cur:
            cur.execute(f"SELECT url FROM media WHERE user_id = '{event['user_id']}'")  # expect: sql-built-from-strings
            return cur.fetchall()
    except psycopg2.InterfaceError:
        global conn
        conn = None
        raise
