# Modelled on https://github.com/ComputerScienceHouse/proxstar/issues/138 ("psycopg2.InterfaceError: connection already closed" after a while, and no reconnect)
import os

import psycopg2

conn = psycopg2.connect(  # expect: python-no-reconnect, connect-timeout
    host=os.environ["DB_HOST"],
    dbname="vms",
    user="vms",
    password=os.environ["DB_PASSWORD"],  # expect: password-from-env
    sslmode="verify-full",
)


def lambda_handler(event, context):
    with conn.cursor() as cur:
        cur.execute("SELECT id, state FROM vms WHERE owner = %s", (event["owner"],))
        return cur.fetchall()
