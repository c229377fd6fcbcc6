/**
 * TransactWriteItems: every condition is checked before anything is written; all or nothing. A
 * ClientRequestToken makes a retried call answer as the first did without applying it twice.
 */
import { dynamodb as facts } from '../../facts/dynamodb.ts';
import type { Charge, Clock } from './capacity.ts';
import { DynamoDBError, throttled, validation } from './errors.ts';
import { evaluate } from './expression-evaluation.ts';
import type { Condition, UpdatePlan } from './expression-parser.ts';
import { checkSize, keyOfItem, matchKey, partitionOfKey, readItem, writeItem } from './items.ts';
import { writeCost } from './metering.ts';
import { rejectKeyUpdates, requestCondition, updateRequest } from './request-expressions.ts';
import { type ExpressionInput, type Input, rejectOutsideSubset } from './requests.ts';
import type { Table, TableStore } from './tables.ts';
import { applyUpdate } from './update-application.ts';
import { type Item, checkItem } from './values.ts';

type Output = Record<string, unknown>;

export class Transactions {
  private readonly tables: TableStore;
  private readonly clock: Clock;
  /** Completed transactions by ClientRequestToken, so a retried call is not applied twice. */
  private readonly transactionTokens = new Map<string, { fingerprint: string; completedAt: number; output: Output }>();

  constructor(tables: TableStore, clock: Clock) {
    this.tables = tables;
    this.clock = clock;
  }

  write(input: Input<'TransactWriteItems'>): Output {
    const { ClientRequestToken: token, ...request } = input;
    if (token === undefined) return this.run(input);
    const fingerprint = JSON.stringify(request);
    const now = this.clock.now();
    const previous = this.transactionTokens.get(token);
    if (previous && now - previous.completedAt < facts.transactionTokenWindow.value) {
      if (previous.fingerprint !== fingerprint) {
        throw new DynamoDBError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
      }
      // Same token, same request: the effect happened once; answer as before without applying it again.
      return previous.output;
    }
    const output = this.run(input);
    // Tokens are kept in completion order, so expired ones are at the front.
    for (const [old, entry] of this.transactionTokens) {
      if (now - entry.completedAt < facts.transactionTokenWindow.value) break;
      this.transactionTokens.delete(old);
    }
    this.transactionTokens.delete(token);
    this.transactionTokens.set(token, { fingerprint, completedAt: now, output });
    return output;
  }

  private run(input: Input<'TransactWriteItems'>): Output {
    type Action = {
      table: Table;
      key: Item;
      condition: Condition | undefined;
      returnOld: string | undefined;
      next: (existing: Item | undefined) => Item | undefined | 'unchanged';
    };
    type Checked = {
      kind: string;
      tableName: string;
      item: Item | undefined;
      key: Item | undefined;
      condition: Condition | undefined;
      plan: UpdatePlan | undefined;
      returnOld: string | undefined;
    };
    // First what needs no table (values, sizes, expressions), as DynamoDB does, then the tables.
    const checked: Checked[] = input.TransactItems.map((entry) => {
      const kinds = Object.entries(entry).filter(([, v]) => v !== undefined);
      if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
      const [kind, raw] = kinds[0] as [string, Record<string, unknown> & ExpressionInput & { TableName: string; UpdateExpression?: string; ReturnValuesOnConditionCheckFailure?: string }];
      rejectOutsideSubset(raw);
      const base = { kind, tableName: raw.TableName, returnOld: raw.ReturnValuesOnConditionCheckFailure };
      if (kind === 'Put') {
        const item = checkItem(raw['Item'], 'Item');
        checkSize(item, 'Item size has exceeded the maximum allowed size');
        return { ...base, item, key: undefined, condition: requestCondition(raw), plan: undefined };
      }
      const key = checkItem(raw['Key'], 'Key');
      if (kind === 'Update') return { ...base, item: undefined, key, ...updateRequest(raw) };
      return { ...base, item: undefined, key, condition: requestCondition(raw), plan: undefined };
    });
    const actions: Action[] = checked.map(({ kind, tableName, item, key: rawKey, condition, plan, returnOld }) => {
      const table = this.tables.get(tableName);
      if (item) return { table, key: keyOfItem(table, item), condition, returnOld, next: () => item };
      const key = matchKey(table, rawKey as Item);
      if (kind === 'Delete') return { table, key, condition, returnOld, next: () => undefined };
      if (kind === 'ConditionCheck' || !plan) return { table, key, condition, returnOld, next: () => 'unchanged' };
      rejectKeyUpdates(table, plan);
      return {
        table,
        key,
        condition,
        returnOld,
        next: (existing) => {
          const { item: updated } = applyUpdate(existing ?? key, plan);
          checkSize(updated, 'Item size to update has exceeded the maximum allowed size');
          return updated;
        },
      };
    });
    const targets = actions.map((a) => `${partitionOfKey(a.table, a.key)}|${a.table.range ? JSON.stringify(a.key[a.table.range.name]) : ''}`);
    if (new Set(targets).size !== targets.length) throw validation('Transaction request cannot include multiple operations on one item');

    const reasons: Record<string, unknown>[] = [];
    const outcomes: { action: Action; existing: Item | undefined; next: Item | undefined | 'unchanged' }[] = [];
    for (const action of actions) {
      const existing = readItem(action.table, action.key);
      if (action.condition && !evaluate(action.condition, existing ?? {})) {
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(action.returnOld === 'ALL_OLD' && existing ? { Item: structuredClone(existing) } : {}),
        });
        outcomes.push({ action, existing, next: 'unchanged' });
        continue;
      }
      try {
        outcomes.push({ action, existing, next: action.next(existing) });
        reasons.push({ Code: 'None' });
      } catch (error) {
        if (!(error instanceof DynamoDBError) || error.type !== 'ValidationException') throw error;
        reasons.push({ Code: 'ValidationError', Message: error.message });
        outcomes.push({ action, existing, next: 'unchanged' });
      }
    }
    const cancel = () => {
      throw new DynamoDBError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r['Code']).join(', ')}]`,
        { CancellationReasons: reasons },
      );
    };
    if (reasons.some((r) => r['Code'] !== 'None')) cancel();

    const costs = outcomes.map(({ action, existing, next }) => {
      const after = next === 'unchanged' ? existing : next;
      return { table: action.table, charge: { partition: partitionOfKey(action.table, action.key), read: 0, write: writeCost(existing, after, true) } };
    });
    const byTable = new Map<Table, Charge[]>();
    for (const { table, charge } of costs) byTable.set(table, [...(byTable.get(table) ?? []), charge]);
    for (const [table, charges] of byTable) {
      if (table.throughput.admit(charges)) {
        table.throughput.recordThrottle();
        reasons.splice(0, reasons.length, ...costs.map((c) => (c.table === table ? { Code: 'ThrottlingError', Message: throttled(table.billing.mode).message } : { Code: 'None' })));
        cancel();
      }
    }
    for (const { action, next } of outcomes) if (next !== 'unchanged') writeItem(action.table, action.key, next);
    const mode = input.ReturnConsumedCapacity;
    return mode === 'TOTAL' || mode === 'INDEXES'
      ? {
          ConsumedCapacity: [...byTable].map(([table, charges]) => {
            const units = charges.reduce((sum, c) => sum + c.write, 0);
            return { TableName: table.name, CapacityUnits: units, WriteCapacityUnits: units, ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units, WriteCapacityUnits: units } } : {}) };
          }),
        }
      : {};
  }
}
