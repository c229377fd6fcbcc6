/**
 * How many connections one creation may hold at once: its setting, or the driver's documented default
 * (src/facts/drivers.ts) when the setting is left out. Shared by the pool-size rule and the arithmetic.
 */
import { driverDefaults } from '../facts/drivers.ts';
import type { Creation, Value } from './model.ts';

export interface PoolSize {
  connections: number;
  /** How the number was found, said in the finding: `max: 5`, `pg's default max (10)`. */
  from: string;
}

const numberOf = (value: Value | undefined): number | undefined => (value?.kind === 'number' ? value.value : undefined);

export function poolSize(creation: Creation): PoolSize | undefined {
  const { options } = creation;
  const setting = (name: string) => options.entries.get(name);
  if (creation.shape === 'client') return { connections: 1, from: 'one connection' };
  if (creation.driver === 'pg') {
    const max = setting('max');
    if (max) return numberOf(max.value) === undefined ? undefined : { connections: numberOf(max.value)!, from: `max: ${numberOf(max.value)}` };
    return options.open ? undefined : { connections: driverDefaults.pgPoolMax.value, from: `pg's default max (${driverDefaults.pgPoolMax.value})` };
  }
  if (creation.callee.startsWith('psycopg2.pool.')) {
    const max = numberOf(setting('maxconn')?.value ?? creation.positional[1]);
    return max === undefined ? undefined : { connections: max, from: `maxconn ${max}` };
  }
  if (creation.callee === 'psycopg_pool.ConnectionPool') {
    const max = setting('max_size') ?? setting('min_size');
    if (max) return numberOf(max.value) === undefined ? undefined : { connections: numberOf(max.value)!, from: `max_size ${numberOf(max.value)}` };
    return options.open ? undefined : { connections: driverDefaults.psycopgPoolMaxSize.value, from: `psycopg_pool's default size (${driverDefaults.psycopgPoolMaxSize.value})` };
  }
  if (creation.driver === 'sqlalchemy') {
    const poolclass = setting('poolclass');
    if (poolclass) return undefined;
    const size = setting('pool_size');
    const overflow = setting('max_overflow');
    const sizeValue = size ? numberOf(size.value) : options.open ? undefined : driverDefaults.sqlalchemyPoolSize.value;
    const overflowValue = overflow ? numberOf(overflow.value) : options.open ? undefined : driverDefaults.sqlalchemyMaxOverflow.value;
    if (sizeValue === undefined || overflowValue === undefined) return undefined;
    return { connections: sizeValue + overflowValue, from: `pool_size ${sizeValue} + max_overflow ${overflowValue}${size && overflow ? '' : " (SQLAlchemy's defaults where not set)"}` };
  }
  return undefined;
}
