# Modelled on https://github.com/warpstreamlabs/bento/issues/757 ("PAM authentication failed" exactly 15 minutes after start)
import os

import boto3
import psycopg2

HOST = os.environ["DB_HOST"]
rds = boto3.client("rds")
TOKEN = rds.generate_db_auth_token(DBHostname=HOST, Port=5432, DBUsername="streaming")  # expect: iam-token-at-init
conn = None


def _connect():
    return psycopg2.connect(host=HOST, user="streaming", dbname="metrics", password=TOKEN, sslmode="verify-full", connect_timeout=5)


def lambda_handler(event, context):
    global conn
    try:
        if conn is None or conn.closed:
            conn = _connect()
        with conn.cursor() as cur:
            cur.execute("INSERT INTO samples (value) VALUES (%s)", (event["value"],))
        conn.commit()
    except psycopg2.OperationalError:
        conn = None
        raise
