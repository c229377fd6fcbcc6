/**
 * The reader's handler bundled for the engine (src/cli/handler-bundle.ts): one CommonJS text with
 * their modules inside and the engine's packages left to `require`, and a stack frame of that text
 * mapped back to their file and line.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleHandler, placeInSource } from '../../src/cli/handler-bundle.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'own-handler');

describe('bundleHandler', () => {
  it('bundles the local module and leaves pg to the engine', async () => {
    const bundled = await bundleHandler(join(fixtures, 'handler.ts'), 'handler.ts', 'handler');
    expect(bundled.file).toBe('handler.js');
    expect(bundled.code).toContain('require("pg")');
    expect(bundled.code).toContain('async function findOrder(');
    expect(bundled.code).not.toContain("from './orders.ts'");
  });

  it('maps a stack frame of the bundle to the reader\'s file, line and text; frames elsewhere map to nothing', async () => {
    const bundled = await bundleHandler(join(fixtures, 'handler.ts'), 'handler.ts', 'handler');
    const lines = bundled.code.split('\n');
    const line = lines.findIndex((text) => text.includes('await db.query(')) + 1;
    const column = lines[line - 1]!.indexOf('await') + 1;
    const stack = `error: relation "orders" does not exist\n    at eval (eval at compileCommonJs (file:///x/modules.ts:31:38), <anonymous>:2227:21)\n    at async findOrder (/var/task/handler.js:${line}:${column})`;
    expect(placeInSource(stack, bundled)).toEqual({ path: join(fixtures, 'orders.ts'), line: 11, column: expect.any(Number), text: "const { rows } = await db.query<Order>('SELECT id, status FROM orders WHERE id = $1 AND status = $2', [id, status]);" });
    expect(placeInSource('Error: x\n    at eval (<anonymous>:1:1)', bundled)).toBeUndefined();
    expect(placeInSource(undefined, bundled)).toBeUndefined();
  });
});
