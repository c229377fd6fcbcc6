/**
 * A request's expressions parsed together: its condition, update and projection in one
 * `ExpressionScope`, so unused or undefined placeholders are caught across all of them, and the
 * placeholders refused where the request has no expression to use them.
 */
import { invalidParameter, validation } from './errors.ts';
import { projectPaths } from './expression-evaluation.ts';
import { type Condition, type UpdatePlan, parseCondition, parseProjection, parseUpdate, updatedPaths } from './expression-parser.ts';
import { ExpressionScope } from './expression-scope.ts';
import type { ExpressionInput } from './requests.ts';
import type { Table } from './tables.ts';
import type { Item } from './values.ts';

/**
 * Parses a request's condition, and through `more` its other expressions, in one scope so unused
 * or undefined placeholders are caught across all of them.
 */
export function requestCondition(input: ExpressionInput, more?: (scope: ExpressionScope) => void): Condition | undefined {
  const scope = new ExpressionScope(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
  const condition = input.ConditionExpression === undefined ? undefined : parseCondition(input.ConditionExpression, scope);
  more?.(scope);
  if (input.ConditionExpression === undefined && !more) {
    if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (input.ExpressionAttributeValues) throw validation('ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
  }
  scope.assertAllUsed();
  return condition;
}

/** An update request's condition and update plan (an absent UpdateExpression changes nothing). */
export function updateRequest(input: ExpressionInput & { UpdateExpression?: string | undefined }): { condition: Condition | undefined; plan: UpdatePlan } {
  let plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
  const update = input.UpdateExpression;
  const condition = requestCondition(
    input,
    update === undefined
      ? undefined
      : (scope) => {
          plan = parseUpdate(update, scope);
        },
  );
  return { condition, plan };
}

export function rejectKeyUpdates(table: Table, plan: UpdatePlan): void {
  const keyNames = [table.hash.name, table.range?.name];
  const keyPath = updatedPaths(plan).find((p) => keyNames.includes(p[0] as string));
  if (keyPath) throw invalidParameter(`Cannot update attribute ${keyPath[0] as string}. This attribute is part of the key`);
}

/** A read's ProjectionExpression as a function from a stored item to the returned copy. */
export function readProjection(input: { ProjectionExpression?: string | undefined; ExpressionAttributeNames?: Record<string, string> | undefined }): (item: Item) => Item {
  if (input.ProjectionExpression === undefined) {
    if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    return (item) => structuredClone(item);
  }
  const scope = new ExpressionScope(input.ExpressionAttributeNames, undefined);
  const paths = parseProjection(input.ProjectionExpression, scope);
  scope.assertAllUsed();
  return (item) => projectPaths(item, paths);
}
