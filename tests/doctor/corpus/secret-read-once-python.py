# Modelled on https://github.com/wellcomecollection/platform/issues/6317 (the database password rotates, and a warm Lambda keeps using the one it read at INIT)
import json
import os

import boto3
import psycopg2

_secrets = boto3.client("secretsmanager")
_secret = json.loads(_secrets.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])  # expect: secret-read-once


def _connect():
    return psycopg2.connect(  # expect: per-invocation-connection
        host=_secret["host"],
        dbname=_secret["dbname"],
        user=_secret["username"],
        password=_secret["password"],
        sslmode="verify-full",
        connect_timeout=5,
        options="-c statement_timeout=8000",
    )


def lambda_handler(event, context):
    conn = _connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT next_id FROM identifiers WHERE source = %s", (event["source"],))
            return cursor.fetchone()
    finally:
        conn.close()
