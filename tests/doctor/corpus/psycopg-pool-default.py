# Modelled on https://github.com/zappa/Zappa/issues/1053 (a Python web app moved to Lambda with its pool as it was)
from psycopg_pool import ConnectionPool

pool = ConnectionPool("host=db.internal dbname=shop user=shop connect_timeout=5 sslmode=verify-full")  # expect: pool-size


def handler(event, context):
    with pool.connection() as conn:
        return conn.execute("SELECT * FROM products WHERE sku = %s", (event["sku"],)).fetchone()
