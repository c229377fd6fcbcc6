/** How a thrown value becomes an invocation's error (`describe`): its stack is read only when asked. */
import { describe as group, expect, it } from 'vitest';
import { describe } from '../../../src/engine/lambda/function.ts';

group('describe(error)', () => {
  it('takes the code, type and message, and reads the stack only when the InvocationError\'s is read', () => {
    let reads = 0;
    const error = Object.assign(new Error('too many connections for role "app"'), { code: '53300' });
    Object.defineProperty(error, 'stack', { get: () => (reads++, 'error: too many connections\n    at handler (/var/task/index.mjs:4:9)') });
    const described = describe(error);
    expect(described).toMatchObject({ code: '53300', type: 'Error', message: 'too many connections for role "app"' });
    expect(reads).toBe(0);
    expect(described.stack).toBe('error: too many connections\n    at handler (/var/task/index.mjs:4:9)');
    expect(described.stack).toContain('/var/task/index.mjs:4:9');
    expect(reads).toBe(1);
    expect(JSON.parse(JSON.stringify(described)).stack).toContain('index.mjs');
    expect(structuredClone(described).stack).toContain('index.mjs');
  });

  it('gives no stack for an error without a string one, and the type as the code without a code', () => {
    const bare = { name: 'TypeError', message: 'x is not a function', stack: 42 };
    expect(describe(bare)).toEqual({ code: 'TypeError', type: 'TypeError', message: 'x is not a function', stack: undefined });
    expect(describe({ message: 'no stack' })).toEqual({ code: 'Error', type: 'Error', message: 'no stack' });
    expect(describe('a string')).toEqual({ code: 'string', type: 'string', message: 'a string' });
  });
});
