# Modelled on https://github.com/openSUSE/orthos2/pull/78 (a connection closed from under the application breaks the next use)
import os

import psycopg2

conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)  # expect: python-no-reconnect


def lambda_handler(event, context):
    with conn.cursor() as cur:
        cur.execute("UPDATE machines SET reserved_by = %s WHERE fqdn = %s", (event["user"], event["fqdn"]))
    conn.commit()
    conn.close()  # expect: connection-closed-in-handler
