/**
 * The placeholders of one request (`#name`, `:value`), shared by all its expressions, so the request
 * is rejected the way DynamoDB rejects it when a placeholder is undefined or unused.
 */
import { validation } from './errors.ts';
import { type AttributeValue, checkValue, emptyMap } from './values.ts';

/** Placeholders of one request, with the ones the request's expressions actually used. */
export class ExpressionScope {
  private readonly names: Record<string, string>;
  private readonly values: Record<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(names: unknown, values: unknown) {
    this.names = Object.assign(emptyMap<string>(), names ?? {}) as Record<string, string>;
    if (names !== undefined && Object.keys(this.names).length === 0) {
      throw validation('ExpressionAttributeNames must not be empty');
    }
    if (values !== undefined && Object.keys(values as object).length === 0) {
      throw validation('ExpressionAttributeValues must not be empty');
    }
    this.values = emptyMap();
    for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      this.values[name] = checkValue(value, `ExpressionAttributeValues.${name}`);
    }
  }

  name(placeholder: string, kind: string): string {
    const name = this.names[placeholder];
    if (name === undefined) {
      throw validation(`Invalid ${kind}: An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
    }
    this.usedNames.add(placeholder);
    return name;
  }

  value(placeholder: string, kind: string): AttributeValue {
    const value = this.values[placeholder];
    if (value === undefined) {
      throw validation(`Invalid ${kind}: An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
    }
    this.usedValues.add(placeholder);
    return value;
  }

  /** Call after every expression of the request has been parsed. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}
