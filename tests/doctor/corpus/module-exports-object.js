// Modelled on https://github.com/nearform/titus/pull/68 (a shared pool ended after use, so the next request fails)
const { Pool } = require('pg');

const pool = new Pool({ max: 1, idleTimeoutMillis: 30000, connectionTimeoutMillis: 5000, query_timeout: 8000 });
pool.on('error', (error) => console.warn(error.message));

async function handler(event) {
  try {
    return (await pool.query('SELECT * FROM notes WHERE id = $1', [event.id])).rows;
  } finally {
    await pool.end(); // expect: connection-closed-in-handler
  }
}

module.exports = { handler };
