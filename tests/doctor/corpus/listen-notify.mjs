// Modelled on https://github.com/postgresql-interfaces/psqlodbc/issues/143 (listening on a notification channel pins the proxy session)
// doctor: --proxy
import pg from 'pg';

const client = new pg.Client({ connectionTimeoutMillis: 5_000, query_timeout: 8_000 });
client.on('error', (error) => console.warn(error.message));
await client.connect();
await client.query('LISTEN cache_invalidation'); // expect: proxy-pinning

export const handler = async () => ({ statusCode: 204 });
