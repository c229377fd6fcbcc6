import { describe, expect, it } from 'vitest';
import { Scheduler, type EventOwner, type ScheduledEvent } from '../../../src/engine/clock/scheduler.ts';
import { createRng } from '../../../src/engine/clock/rng.ts';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const make = (seed = 1) => new Scheduler({ seed, yieldMacrotask: macrotask });

describe('Scheduler', () => {
  it('runs events in time order, ties in scheduling order', async () => {
    const s = make();
    const seen: string[] = [];
    s.at(20, () => seen.push('b@20'));
    s.at(10, () => seen.push('a@10'));
    s.at(20, () => seen.push('c@20'));
    s.at(10, () => s.at(10, () => seen.push('d@10 scheduled at 10')));
    await s.run();
    expect(seen).toEqual(['a@10', 'd@10 scheduled at 10', 'b@20', 'c@20']);
    expect(s.now).toBe(20);
  });

  it('never schedules in the past and skips cancelled events', async () => {
    const s = make();
    const seen: number[] = [];
    s.at(50, () => {
      s.at(10, () => seen.push(s.now));
      const dropped = s.after(5, () => seen.push(-1));
      s.cancel(dropped);
    });
    await s.run();
    expect(seen).toEqual([50]);
  });

  it('does not advance the clock while tracked real work is in flight', async () => {
    const s = make();
    const seen: Array<[string, number]> = [];
    s.at(0, () => {
      // Real work that takes real (wall) time: its continuation must still see t = 0.
      void s.track(new Promise<void>((resolve) => setTimeout(resolve, 30))).then(() => seen.push(['real work done', s.now]));
    });
    s.at(1, () => seen.push(['next event', s.now]));
    await s.run();
    expect(seen).toEqual([
      ['real work done', 0],
      ['next event', 1],
    ]);
  });

  it('lets microtask chains started by an event finish before the next event', async () => {
    const s = make();
    const seen: string[] = [];
    s.at(0, () => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => seen.push('chain end'));
    });
    s.at(0, () => seen.push('second event'));
    await s.run();
    expect(seen).toEqual(['chain end', 'second event']);
  });

  it('takes no macrotask turn after a bookkeeping event, and keeps the order of everything', async () => {
    let turns = 0;
    const s = new Scheduler({ seed: 1, yieldMacrotask: () => (turns++, macrotask()) });
    const seen: string[] = [];
    s.at(10, () => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => seen.push('chain of the event at 10'));
    });
    s.atSync(10, () => seen.push('bookkeeping at 10'));
    s.afterSync(20, () => {
      seen.push('bookkeeping at 20');
      s.atSync(20, () => seen.push('bookkeeping it scheduled'));
    });
    s.at(30, () => seen.push('event at 30'));
    await s.run();
    expect(seen).toEqual(['chain of the event at 10', 'bookkeeping at 10', 'bookkeeping at 20', 'bookkeeping it scheduled', 'event at 30']);
    // One turn before the first event, one after each of the two ordinary events; none after the three bookkeeping ones.
    expect(turns).toBe(3);
  });

  it('takes no macrotask turn after a reporting event that says it started nothing, and settles after one that did', async () => {
    let turns = 0;
    const s = new Scheduler({ seed: 1, yieldMacrotask: () => (turns++, macrotask()) });
    const seen: string[] = [];
    s.atReporting(10, () => {
      seen.push('quiet at 10');
      s.atSync(10, () => seen.push('bookkeeping it scheduled'));
      return true;
    });
    s.afterReporting(20, () => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => seen.push('chain of the busy event at 20'));
      return false;
    });
    s.atReporting(20, () => {
      seen.push('quiet at 20');
      return true;
    });
    s.at(30, () => seen.push('event at 30'));
    await s.run();
    expect(seen).toEqual(['quiet at 10', 'bookkeeping it scheduled', 'chain of the busy event at 20', 'quiet at 20', 'event at 30']);
    // One turn before the first event, one after the busy reporting event and one after the ordinary event.
    expect(turns).toBe(3);
  });

  it('parks the events of a frozen owner and drops those of a dead one', async () => {
    const s = make();
    const parked: ScheduledEvent[] = [];
    const owner: EventOwner & { frozen: boolean; dead: boolean } = { frozen: true, dead: false, park: (e) => parked.push(e) };
    const seen: string[] = [];
    s.at(5, () => seen.push('owned'), owner);
    s.at(6, () => seen.push('infrastructure'));
    await s.run();
    expect(seen).toEqual(['infrastructure']);
    expect(parked).toHaveLength(1);
    owner.frozen = false;
    s.requeue(parked, owner);
    await s.run();
    expect(seen).toEqual(['infrastructure', 'owned']);
    owner.dead = true;
    s.at(10, () => seen.push('after death'), owner);
    await s.run();
    expect(seen).toEqual(['infrastructure', 'owned']);
  });

  it('stops at `until` and reports owner exceptions to onOwnerError', async () => {
    const s = make();
    const owner: EventOwner = { frozen: false, dead: false, park: () => {} };
    const errors: unknown[] = [];
    s.at(1, () => {
      throw new Error('boom');
    }, owner);
    s.at(100, () => errors.push('late'));
    await s.run({ until: 50, onOwnerError: (_o, e) => errors.push((e as Error).message) });
    expect(errors).toEqual(['boom']);
    expect(s.now).toBe(50);
    expect(s.pending).toBe(1);
  });

  it('checks the abort signal between events', async () => {
    const s = make();
    const controller = new AbortController();
    let count = 0;
    const tick = () => {
      count++;
      if (count === 3) controller.abort(new Error('cancelled by the reader'));
      s.after(1, tick);
    };
    s.at(0, tick);
    await expect(s.run({ signal: controller.signal })).rejects.toThrow('cancelled by the reader');
    expect(count).toBe(3);
  });

  it('stops a run whose virtual time no longer advances', async () => {
    const s = make();
    const owner: EventOwner = { frozen: false, dead: false, park: () => {} };
    const again = () => s.at(s.now, again, owner, 'immediate');
    s.at(5, again, owner, 'immediate');
    await expect(s.run()).rejects.toThrow(/virtual time stopped advancing at 5\.000 ms/);
  }, 120_000);

  it('runUntil drives the clock for code written outside events', async () => {
    const s = make();
    const sleep = (ms: number) => new Promise<void>((resolve) => s.after(ms, resolve));
    const result = await s.runUntil(
      (async () => {
        await sleep(100);
        await sleep(250);
        return s.now;
      })(),
    );
    expect(result).toBe(350);
    await expect(s.runUntil(new Promise(() => {}))).rejects.toThrow(/nothing is scheduled/);
  });
});

describe('createRng', () => {
  it('is a pure function of its seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.next());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers within bounds and exponentials with the right mean', () => {
    const r = createRng(7);
    const ints = Array.from({ length: 2000 }, () => r.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    const mean = Array.from({ length: 20000 }, () => r.exponential(10)).reduce((a, b) => a + b, 0) / 20000;
    expect(mean).toBeGreaterThan(9.5);
    expect(mean).toBeLessThan(10.5);
    expect(r.hex(32)).toMatch(/^[0-9a-f]{32}$/);
  });
});
