# Modelled on https://github.com/zappa/Zappa/issues/1053 (will the database get many connections when many requests come in?)
import os

from psycopg2 import pool

db_pool = pool.SimpleConnectionPool(1, 20, os.environ["DATABASE_DSN"], connect_timeout=5)  # expect: pool-size


def handler(event, context):
    conn = db_pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT * FROM posts ORDER BY created DESC LIMIT 20")
            return cur.fetchall()
    finally:
        db_pool.putconn(conn)
