import { describe, expect, it } from 'vitest';
import { currentSection } from '../../../src/lib/client/current-section.ts';

describe('the current section of the on-page contents', () => {
  const tops = [120, 900, 1800];

  it('is none before the first heading reaches the reading line', () => {
    expect(currentSection(tops, 100)).toBe(-1);
  });

  it('is the last heading at or above the reading line', () => {
    expect(currentSection(tops, 120)).toBe(0);
    expect(currentSection(tops.map((top) => top - 1000), 150)).toBe(1);
    expect(currentSection(tops.map((top) => top - 5000), 150)).toBe(2);
  });

  it('is none for a page without headings', () => {
    expect(currentSection([], 150)).toBe(-1);
  });
});
