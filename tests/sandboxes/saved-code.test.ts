import { describe, expect, it } from 'vitest';
import { openSharedCode, withoutFirstKept } from '../../src/sandboxes/saved-code.ts';

const original = 'export const handler = async () => 1;\n';
const mine = 'export const handler = async () => 2;\n';
const link = 'export const handler = async () => 3;\n';

describe("a share link and the reader's saved code", () => {
  it("keeps the reader's differing version first in line and saves the link's code", () => {
    const opened = openSharedCode({ edits: { 'handler.mjs': mine, 'other.mjs': 'x' }, kept: {} }, 'handler.mjs', link, original);
    expect(opened).toEqual({ edits: { 'handler.mjs': link, 'other.mjs': 'x' }, kept: { 'handler.mjs': [mine] }, keptNow: true });
  });

  it('keeps nothing when the reader had no edit, or had the same code', () => {
    expect(openSharedCode({ edits: {}, kept: {} }, 'handler.mjs', link, original)).toEqual({ edits: { 'handler.mjs': link }, kept: {}, keptNow: false });
    expect(openSharedCode({ edits: { 'handler.mjs': link }, kept: {} }, 'handler.mjs', link, original).keptNow).toBe(false);
  });

  it("stores no edit when the link's code is the original, and still keeps the reader's", () => {
    expect(openSharedCode({ edits: { 'handler.mjs': mine }, kept: {} }, 'handler.mjs', original, original)).toEqual({ edits: {}, kept: { 'handler.mjs': [mine] }, keptNow: true });
  });

  it('never drops a version kept earlier: a second link adds to the line, newest first, without duplicates', () => {
    const first = openSharedCode({ edits: { 'handler.mjs': mine }, kept: {} }, 'handler.mjs', link, original);
    const edited = { edits: { 'handler.mjs': `${link}// and more\n` }, kept: first.kept };
    const second = openSharedCode(edited, 'handler.mjs', 'export const handler = async () => 4;\n', original);
    expect(second.kept).toEqual({ 'handler.mjs': [`${link}// and more\n`, mine] });
    expect(openSharedCode({ edits: { 'handler.mjs': mine }, kept: second.kept }, 'handler.mjs', link, original).kept).toEqual({ 'handler.mjs': [mine, `${link}// and more\n`] });
  });

  it('takes the first kept version out once the reader chose, leaving the rest', () => {
    expect(withoutFirstKept({ 'handler.mjs': ['a', 'b'], 'other.mjs': ['c'] }, 'handler.mjs')).toEqual({ 'handler.mjs': ['b'], 'other.mjs': ['c'] });
    expect(withoutFirstKept({ 'handler.mjs': ['a'] }, 'handler.mjs')).toEqual({});
  });
});
