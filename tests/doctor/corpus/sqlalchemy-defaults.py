# Modelled on https://github.com/transformerlab/transformerlab-app/pull/1452 ("QueuePool limit of size 5 overflow 10 reached")
from sqlalchemy import create_engine, text

engine = create_engine("postgresql+psycopg2://app@db.internal:5432/app?sslmode=verify-full")  # expect: pool-size, connect-timeout


def lambda_handler(event, context):
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, title FROM jobs WHERE owner = :owner"), {"owner": event["owner"]})
        return [dict(row._mapping) for row in rows]
