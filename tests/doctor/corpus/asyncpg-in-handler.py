# Modelled on https://github.com/jkehler/awslambda-psycopg2/issues/81 (asyncpg from Lambda instead of psycopg2)
import asyncio
import os

import asyncpg


async def _work(event):
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])  # missed: per-invocation-connection (the doctor does not read asyncpg)
    try:
        return await conn.fetchval("SELECT count(*) FROM events WHERE kind = $1", event["kind"])
    finally:
        await conn.close()


def lambda_handler(event, context):
    return asyncio.run(_work(event))
