// Modelled on https://github.com/knex/knex/issues/3636 ("Connection terminated unexpectedly" with Knex in Lambda; the pool is Knex's, not pg's)
const knex = require('knex')({
  client: 'pg',
  connection: process.env.DATABASE_URL, // missed: pool-size (the doctor reads pg's own Pool, not Knex's default of up to 10)
});

exports.handler = async (event) => knex('events').insert({ kind: event.kind });
