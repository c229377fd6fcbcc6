/**
 * A small YAML writer for CloudFormation templates: block style, keys in insertion order, strings
 * plain when YAML reads them back unchanged and double-quoted (JSON escapes) otherwise. Kept here
 * so the generator stays dependency-free in the browser; the tests parse the output back.
 */
type Value = string | number | boolean | Value[] | { [key: string]: Value };

const reserved = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z_/$][A-Za-z0-9 _./:@$(){}*=,+-]*$/.test(value) && !reserved.test(value) && !/: | #|:$/.test(value) && !/\s$/.test(value);
  return plain ? value : JSON.stringify(value);
}

const isScalar = (value: Value): value is string | number | boolean => typeof value !== 'object';
const isEmpty = (value: Value) => (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value).length === 0);

function lines(value: Value, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isScalar(item) || isEmpty(item)) return [`${indent}- ${isScalar(item) ? scalar(item) : Array.isArray(item) ? '[]' : '{}'}`];
      const inner = lines(item, `${indent}  `);
      return [`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1)];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      if (isScalar(item)) return [`${indent}${scalar(key)}: ${scalar(item)}`];
      if (isEmpty(item)) return [`${indent}${scalar(key)}: ${Array.isArray(item) ? '[]' : '{}'}`];
      return [`${indent}${scalar(key)}:`, ...lines(item, `${indent}  `)];
    });
  }
  return [`${indent}${scalar(value)}`];
}

export type YamlValue = Value;

export const toYaml = (value: { [key: string]: Value }): string => lines(value, '').join('\n') + '\n';
