import { describe, expect, it } from '@jest/globals';
import { findUnsafeInput } from '../src/index.js';

describe('findUnsafeInput', () => {
  it('accepts ordinary input, including paired surrogates (emoji) and shallow nesting', () => {
    expect(findUnsafeInput({ name: 'Aiko 🎉', tags: ['a', { b: [1, null, true] }] })).toBeUndefined();
  });

  it('names a value holding a NUL character by its dotted path', () => {
    expect(findUnsafeInput({ answers: [{ value: 'a\u0000b' }] })).toEqual({
      field: 'answers.0.value',
      message: 'must not contain NUL characters',
    });
  });

  it('refuses a lone high or low surrogate, anywhere in a string', () => {
    expect(findUnsafeInput({ email: 'a\ud800@b.com' })?.message).toBe(
      'must not contain unpaired UTF-16 surrogates',
    );
    expect(findUnsafeInput({ email: 'tail\udc00' })?.field).toBe('email');
  });

  it('checks keys as well as values, and escapes the bad key in the field name', () => {
    expect(findUnsafeInput({ 'a\u0000': 1 })).toEqual({
      field: 'a\\u0000',
      message: 'must not contain NUL characters',
    });
  });

  it('refuses a __proto__ key naming it', () => {
    const parsed: unknown = JSON.parse('{"seat":{"__proto__":{"admin":true}}}');
    expect(findUnsafeInput(parsed)).toEqual({
      field: 'seat.__proto__',
      message: 'is not an accepted property name',
    });
  });

  it('refuses nesting deeper than the limit, and walks 100,000 levels without overflowing its stack', () => {
    expect(findUnsafeInput([[['x']]], { maxDepth: 3 })).toBeUndefined();
    expect(findUnsafeInput([[[['x']]]], { maxDepth: 3 })).toEqual({
      field: '0.0.0',
      message: 'must not nest deeper than 3 levels',
    });
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(findUnsafeInput(deep, { maxDepth: 200_000 })).toBeUndefined();
  });

  it('names the body itself when the top-level value is the problem', () => {
    expect(findUnsafeInput('\u0000')).toEqual({ field: 'body', message: 'must not contain NUL characters' });
  });
});
