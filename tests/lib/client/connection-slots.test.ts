import { describe, expect, it } from 'vitest';
import { describeSlots, slotState } from '../../../src/lib/client/connection-slots.ts';

describe('the connection-slots picture', () => {
  it('gives every environment a slot while ordinary slots remain', () => {
    expect(slotState(40, 112, 5)).toEqual({ environments: 40, connected: 40, refused: 0, usable: 107 });
  });

  it('refuses every environment past max_connections minus the reserved slots', () => {
    expect(slotState(150, 112, 5)).toEqual({ environments: 150, connected: 107, refused: 43, usable: 107 });
    expect(slotState(108, 112, 5).refused).toBe(1);
  });

  it('says what the reader sees, with the error text once something is refused', () => {
    expect(describeSlots(slotState(1, 112, 5), 112, 'x')).toBe('1 concurrent invocation: each holds one of the 112 slots; 106 usable slots left.');
    expect(describeSlots(slotState(150, 112, 5), 112, 'remaining connection slots are reserved')).toBe(
      '150 concurrent invocations: 107 hold a connection, 43 refused with FATAL 53300 “remaining connection slots are reserved”.',
    );
  });
});
