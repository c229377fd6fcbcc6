# Modelled on https://github.com/cds-snc/forms-terraform/pull/1058 (clients instantiated outside the handler so warm starts reuse them)
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def lambda_handler(event, context):
    table.put_item(Item={"pk": event["id"], "status": "received"})
    return {"statusCode": 202}
