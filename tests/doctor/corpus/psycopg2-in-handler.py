# Modelled on https://github.com/psycopg/psycopg2/issues/592 (a Lambda that connects to PostgreSQL inside the handler on every call)
import psycopg2


def lambda_handler(event, context):
    conn = psycopg2.connect(  # expect: per-invocation-connection, connect-timeout
        host="warehouse.abcdefghij.us-east-1.rds.amazonaws.com",
        dbname="warehouse",
        user="loader",
        password="s3cr3t-loader",  # expect: credentials-in-code
    )
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO loads (source) VALUES (%s)", (event["source"],))
        conn.commit()
    finally:
        conn.close()
