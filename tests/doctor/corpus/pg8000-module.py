# Modelled on https://github.com/betagouv/mrs/issues/538 ("InterfaceError: connection already closed" on a connection kept between requests)
import pg8000.native

con = pg8000.native.Connection("mrs", host="db.internal", database="mrs", password="mrs-password")  # expect: python-no-reconnect, connect-timeout, credentials-in-code


def lambda_handler(event, context):
    return con.run("SELECT id FROM calls WHERE pk = :pk", pk=event["call"])
