# Modelled on https://github.com/sqlalchemy/sqlalchemy/issues/10237 (connection pools that do not survive the platform closing their connections)
import sqlalchemy


def lambda_handler(event, context):
    engine = sqlalchemy.create_engine(  # expect: per-invocation-connection, pool-size
        "postgresql+psycopg2://reports@reports.internal/reports",
        connect_args={"connect_timeout": 10},
    )
    with engine.connect() as connection:
        return connection.execute(sqlalchemy.text("SELECT count(*) FROM reports")).scalar()
