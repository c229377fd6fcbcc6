// Modelled on https://github.com/brianc/node-postgres/issues/1180 (a Client at module level, connected and ended in a callback handler, times out on Lambda)
var pg = require('pg');

var settings = {
  host: process.env.DB_ENDPOINT,
  user: process.env.DB_USER,
  database: process.env.DB_NAME,
  password: process.env.DB_PASSWORD, // expect: password-from-env
};
var client = new pg.Client(settings); // expect: missing-error-listener, connect-timeout, query-timeout

exports.handler = function (event, context, callback) {
  client.connect(function (error) {
    client.end(); // expect: connection-closed-in-handler
    callback(error, 'done');
  });
};
