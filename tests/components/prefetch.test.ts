import { describe, expect, it } from 'vitest';
import { shouldPrefetch } from '../../src/components/sandbox/prefetch.ts';

describe('shouldPrefetch', () => {
  it.each([
    ['no Network Information API (Firefox, Safari)', undefined, true],
    ['a 4G connection', { effectiveType: '4g', saveData: false }, true],
    ['a 3G connection', { effectiveType: '3g' }, true],
    ['Save-Data on a fast connection', { effectiveType: '4g', saveData: true }, false],
    ['a 2G connection', { effectiveType: '2g' }, false],
    ['a slow 2G connection', { effectiveType: 'slow-2g', saveData: false }, false],
  ])('%s: %s', (_case, connection, expected) => {
    expect(shouldPrefetch(connection)).toBe(expected);
  });
});
