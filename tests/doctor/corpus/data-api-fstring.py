# Modelled on https://github.com/cloud-utils/sqlalchemy-aurora-data-api/issues/36 (the Data API from Lambda: no connections to manage, statements still need parameters)
import os

import boto3

rds_data = boto3.client("rds-data")


def lambda_handler(event, context):
    response = rds_data.execute_statement(
        resourceArn=os.environ["CLUSTER_ARN"],
        secretArn=os.environ["SECRET_ARN"],
        database="tickets",
        sql=f"DELETE FROM tickets WHERE id = {event['ticketId']}",  # expect: sql-built-from-strings
    )
    return response["numberOfRecordsUpdated"]
