import { describe, expect, it } from '@jest/globals';
import { ifNoneMatchHits } from '../src/index.js';

describe('ifNoneMatchHits', () => {
  const etag = '"abc"';

  it('matches the tag, a list holding it, its weak form and *', () => {
    expect(ifNoneMatchHits('"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
  });

  it('does not match another tag, an unquoted value or no header', () => {
    expect(ifNoneMatchHits('"abd"', etag)).toBe(false);
    expect(ifNoneMatchHits('abc', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
  });
});
