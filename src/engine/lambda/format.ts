/**
 * `console.log` formatting without `node:util`: enough of util.format for handler logs
 * (%s %d %i %f %j %o %O %%, objects shown as JSON, errors as `Name: message`).
 */
export function format(...args: unknown[]): string {
  if (args.length === 0) return '';
  const [first, ...rest] = args;
  let out: string;
  if (typeof first === 'string') {
    out = first.replace(/%[sdifjoO%]/g, (token) => {
      if (token === '%%') return '%';
      if (rest.length === 0) return token;
      const value = rest.shift();
      switch (token) {
        case '%s':
          return typeof value === 'string' ? value : show(value);
        case '%d':
        case '%i':
          return String(token === '%i' ? Math.trunc(Number(value)) : Number(value));
        case '%f':
          return String(Number(value));
        case '%j':
          return safeJson(value);
        default:
          return show(value);
      }
    });
  } else {
    out = show(first);
  }
  for (const value of rest) out += ` ${typeof value === 'string' ? value : show(value)}`;
  return out;
}

export function show(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}: ${value.message}${code !== undefined ? ` { code: '${String(code)}' }` : ''}`;
  }
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'undefined' || value === null || typeof value !== 'object') return String(value);
  return safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return '[Circular]';
  }
}
