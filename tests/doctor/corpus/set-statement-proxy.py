# Modelled on https://github.com/spack/spack-infrastructure/pull/1382 (SET statements on every connection defeat RDS Proxy's multiplexing)
import os

import psycopg2

DSN = "host=ci.proxy-abc123def456.us-east-1.rds.amazonaws.com dbname=ci user=ci connect_timeout=5 sslmode=verify-full"
conn = None


def lambda_handler(event, context):
    global conn
    if conn is None or conn.closed:
        conn = psycopg2.connect(DSN, password=os.environ["CI_DB_TOKEN_FILE"] and open(os.environ["CI_DB_TOKEN_FILE"]).read())
    try:
        with conn.cursor() as cur:
            cur.execute("SET statement_timeout = '30s'")  # expect: proxy-pinning
            cur.execute("SELECT * FROM builds WHERE id = %s", (event["build"],))
            return cur.fetchone()
    except psycopg2.OperationalError:
        conn = None
        raise
