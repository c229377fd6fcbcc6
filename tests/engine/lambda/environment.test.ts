/**
 * Timer handles are instances of classes every execution environment shares (environment.ts): what
 * one environment does with them must not reach another environment's timers or the classes the
 * next environment gets.
 */
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/engine/clock/scheduler.ts';
import { Environment } from '../../../src/engine/lambda/environment.ts';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

type Timers = {
  setTimeout: (run: () => void, ms: number) => object;
  clearTimeout: (handle: unknown) => void;
  setImmediate: (run: () => void) => object;
  clearImmediate: (handle: unknown) => void;
};

function twoEnvironments() {
  const scheduler = new Scheduler({ seed: 1, yieldMacrotask: macrotask });
  const make = (id: string) => new Environment(scheduler, { id, envVars: {}, onUncaught: () => {}, onConsole: () => {} });
  const [a, b] = [make('a'), make('b')];
  return { scheduler, a: a.globals as unknown as Timers, b: b.globals as unknown as Timers };
}

describe('execution environment timers', () => {
  it('clears only its own handles: another environment clearing them, by handle or by id, stops nothing', async () => {
    const { scheduler, a, b } = twoEnvironments();
    const fired: string[] = [];
    const timeout = a.setTimeout(() => fired.push('timeout'), 10);
    const immediate = a.setImmediate(() => fired.push('immediate'));
    b.clearTimeout(timeout);
    b.clearImmediate(immediate);
    b.clearTimeout(Number(timeout));
    const cleared = a.setTimeout(() => fired.push('cleared'), 10);
    a.clearTimeout(cleared);
    await scheduler.run();
    expect(fired).toEqual(['immediate', 'timeout']);
  });

  it('hands out handles whose classes cannot be changed for another environment', () => {
    const { a, b } = twoEnvironments();
    for (const make of [() => a.setTimeout(() => {}, 10), () => a.setImmediate(() => {})]) {
      const prototype = Object.getPrototypeOf(make()) as Record<string, unknown>;
      const original = prototype.hasRef;
      expect(() => {
        prototype.hasRef = () => false;
      }).toThrow(TypeError);
      expect(() => {
        (prototype.constructor as unknown as Record<string, unknown>).extra = 1;
      }).toThrow(TypeError);
      expect(() => {
        (original as Record<string, unknown>).extra = 1;
      }).toThrow(TypeError);
    }
    expect((b.setTimeout(() => {}, 10) as { hasRef(): boolean }).hasRef()).toBe(true);
    expect((b.setImmediate(() => {}) as { hasRef(): boolean }).hasRef()).toBe(true);
  });
});

describe('execution environment thaw', () => {
  it('says whether it queued microtasks: only when work was parked as one while frozen', async () => {
    const scheduler = new Scheduler({ seed: 1, yieldMacrotask: macrotask });
    const environment = new Environment(scheduler, { id: 'env', envVars: {}, onUncaught: () => {}, onConsole: () => {} });
    const process = environment.globals.process as { nextTick(run: () => void): void };
    const ran: string[] = [];

    environment.freeze();
    expect(environment.thaw(() => ran.push('invocation 1'))).toBe(true);

    process.nextTick(() => ran.push('tick parked at freeze'));
    environment.freeze();
    await Promise.resolve();
    expect(ran).toEqual([]);
    expect(environment.thaw(() => ran.push('invocation 2'))).toBe(false);
    await Promise.resolve();
    expect(ran).toEqual(['tick parked at freeze']);
    await scheduler.run();
    expect(ran).toEqual(['tick parked at freeze', 'invocation 1', 'invocation 2']);
  });
});
