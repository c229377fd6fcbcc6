/**
 * The shared vectors against connlab's emulator and dynalite: the same normalized response, or the
 * same error type, for every vector. Fields that legitimately differ between two DynamoDB
 * implementations (creation time, ARN account, table id, request ids) are left out of the comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBEmulator } from '../../../src/engine/dynamodb/index.ts';
import { type Dynalite, startDynalite } from './dynalite-server.ts';
import { vectors } from './vectors.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SETS = new Set(['SS', 'NS', 'BS']);
const TABLE_FIELDS = ['TableName', 'KeySchema', 'AttributeDefinitions', 'TableStatus', 'ItemCount', 'TableSizeBytes'];

/** JSON with object keys sorted, so key order (which JSON does not define) never counts as a difference. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`).join(',')}}`;
}

const short = (value: Json) => {
  const text = canonical(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

/** Sets and batch results are unordered in DynamoDB; everything else keeps its order. */
function normalize(value: Json, key = ''): Json {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v));
    if (SETS.has(key) || key === 'ConsumedCapacity' || key.startsWith('Responses.')) {
      return [...items].sort((a, b) => canonical(a).localeCompare(canonical(b)));
    }
    return items;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = normalize(v, key === 'Responses' ? `Responses.${k}` : k);
  }
  return out;
}

function comparable(answer: { statusCode: number; body: Record<string, unknown> }): Json {
  if (answer.statusCode !== 200) {
    return { error: String(answer.body['__type'] ?? `HTTP ${answer.statusCode}`).split('#').pop() ?? '' };
  }
  const body = structuredClone(answer.body) as Record<string, Json>;
  for (const field of ['Table', 'TableDescription']) {
    const description = body[field] as Record<string, Json> | undefined;
    if (!description) continue;
    const kept: Record<string, Json> = {};
    for (const name of TABLE_FIELDS) if (description[name] !== undefined) kept[name] = description[name] as Json;
    const throughput = description['ProvisionedThroughput'] as Record<string, Json> | undefined;
    kept['ProvisionedThroughput'] = { read: throughput?.['ReadCapacityUnits'] ?? 0, write: throughput?.['WriteCapacityUnits'] ?? 0 };
    kept['BillingMode'] = (description['BillingModeSummary'] as Record<string, Json> | undefined)?.['BillingMode'] ?? 'PROVISIONED';
    body[field] = kept;
  }
  return normalize(body as Json);
}

let dynalite: Dynalite;
// Throughput limits are not part of the comparison (dynalite has none): each vector runs in its own
// virtual second, so no vector is throttled by the ones before it.
let virtualNow = 0;
const emulator = new DynamoDBEmulator({ clock: { now: () => virtualNow } });
const outcomes: { name: string; agree: boolean; ours: Json; theirs: Json; messages: [unknown, unknown]; known: string | undefined }[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
});

afterAll(async () => {
  await dynalite.close();
  const agreed = outcomes.filter((o) => o.agree).length;
  const errors = outcomes.filter((o) => o.agree && typeof o.ours === 'object' && o.ours !== null && 'error' in o.ours).length;
  const sameMessage = outcomes.filter((o) => o.agree && o.messages[0] !== undefined && o.messages[0] === o.messages[1]).length;
  const known = outcomes.filter((o) => o.known);
  for (const o of known) console.info(`  dynalite differs from DynamoDB: ${o.name}: ${o.known}`);
  console.info(`dynalite vectors: ${agreed}/${outcomes.length} agree (${errors} same error type, ${agreed - errors} same result); ${known.length} where dynalite is known to differ from DynamoDB; ${sameMessage}/${errors} error messages word for word`);
  if (process.env['CONNLAB_SHOW_ERRORS']) {
    for (const o of outcomes.filter((x) => x.messages[0] !== undefined)) console.info(`  error: ${o.name}: ${String(o.messages[0])}`);
  }
  if (process.env['CONNLAB_SHOW_MESSAGES']) {
    for (const o of outcomes.filter((x) => x.messages[0] !== x.messages[1])) console.info(`  message: ${o.name}\n    connlab:  ${String(o.messages[0])}\n    dynalite: ${String(o.messages[1])}`);
  }
  for (const o of outcomes.filter((x) => !x.agree && !x.known)) console.info(`  differs: ${o.name}\n    connlab:  ${short(o.ours)}\n    dynalite: ${short(o.theirs)}`);
});

describe('DynamoDB emulator against dynalite', () => {
  for (const vector of vectors) {
    it(`${vector.operation}: ${vector.name}`, async () => {
      virtualNow += 1000;
      const ours = emulator.respond(`DynamoDB_20120810.${vector.operation}`, JSON.stringify(vector.input));
      const oursParsed = { statusCode: ours.statusCode, body: JSON.parse(ours.body) as Record<string, unknown> };
      const theirs = await dynalite.send(vector.operation, vector.input);
      // dynalite moves a new table from CREATING to ACTIVE on a zero-delay timer.
      if (vector.operation === 'CreateTable') await new Promise((resolve) => setTimeout(resolve, 20));
      const a = comparable(oursParsed);
      const b = comparable(theirs);
      const agree = canonical(a) === canonical(b);
      outcomes.push({ name: `${vector.operation}: ${vector.name}`, agree, ours: a, theirs: b, messages: [oursParsed.body['message'], theirs.body['message']], known: vector.dynaliteDiffers?.evidence });
      if (vector.dynaliteDiffers) {
        expect(a).toEqual({ error: vector.dynaliteDiffers.awsError });
        expect(b).not.toEqual(a);
      } else {
        expect(a).toEqual(b);
      }
    });
  }
});
