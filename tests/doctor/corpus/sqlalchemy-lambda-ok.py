# Modelled on https://github.com/aws-samples/aws-serverless-app-with-aurora-and-python-sql-alchemy-example/issues/9 (pool_size=1, max_overflow=0 and pre-ping in a Lambda)
import os

from sqlalchemy import create_engine, text

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=1,
    max_overflow=0,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5},
)


def lambda_handler(event, context):
    with engine.begin() as connection:
        connection.execute(text("UPDATE carts SET touched = now() WHERE id = :id"), {"id": event["cartId"]})
