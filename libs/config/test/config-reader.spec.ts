import { describe, expect, it } from '@jest/globals';
import { ConfigError, ConfigReader, type ConfigValues } from '../src/index.js';

/** The problems `assertValid()` reports after `read` ran, or [] when it passes. */
function problemsOf(values: ConfigValues, read: (reader: ConfigReader) => void): string[] {
  const reader = new ConfigReader(values);
  read(reader);
  try {
    reader.assertValid();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('ConfigReader', () => {
  it('treats a blank value as unset and trims the rest', () => {
    const read = new ConfigReader({ EMPTY: '  ', NAME: ' api ' });
    expect([read.has('EMPTY'), read.text('EMPTY', 'fallback'), read.text('NAME', 'x')]).toEqual([
      false,
      'fallback',
      'api',
    ]);
    expect(read.optionalText('MISSING')).toBeUndefined();
  });

  it('takes integers within their bounds, both ends included, and refuses the rest', () => {
    const read = new ConfigReader({ LOW: '1', HIGH: '10', NEGATIVE: '-3' });
    expect([
      read.integer('LOW', 5, 1, 10),
      read.integer('HIGH', 5, 1, 10),
      read.integer('NEGATIVE', 0, -5, 0),
    ]).toEqual([1, 10, -3]);
    expect(
      problemsOf({ BELOW: '0', ABOVE: '11', WORD: 'ten', DECIMAL: '2.5', EXPONENT: '1e1' }, (reader) => {
        for (const name of ['BELOW', 'ABOVE', 'WORD', 'DECIMAL', 'EXPONENT']) reader.integer(name, 5, 1, 10);
      }),
    ).toEqual([
      'BELOW must be an integer from 1 to 10 (got "0")',
      'ABOVE must be an integer from 1 to 10 (got "11")',
      'WORD must be an integer from 1 to 10 (got "ten")',
      'DECIMAL must be an integer from 1 to 10 (got "2.5")',
      'EXPONENT must be an integer from 1 to 10 (got "1e1")',
    ]);
  });

  it('returns the fallback for a bad value, so parsing goes on', () => {
    expect(new ConfigReader({ PORT: 'eighty' }).integer('PORT', 3000, 0, 65_535)).toBe(3000);
  });

  it('reads decimals and ratios within bounds', () => {
    const read = new ConfigReader({ RATE: '0.5', SHARE: '0.01' });
    expect([read.decimal('RATE', 10, 0.1, 1_000), read.ratio('SHARE', 1)]).toEqual([0.5, 0.01]);
    expect(
      problemsOf({ RATE: '0.05', SHARE: '1.5' }, (reader) => {
        reader.decimal('RATE', 10, 0.1, 1_000);
        reader.ratio('SHARE', 1);
      }),
    ).toEqual([
      'RATE must be a number from 0.1 to 1000 (got "0.05")',
      'SHARE must be a number from 0 to 1 (got "1.5")',
    ]);
  });

  it('reads booleans and choices, naming what is allowed', () => {
    const read = new ConfigReader({ ON: 'false', LEVEL: 'debug' });
    expect([read.boolean('ON', true), read.oneOf('LEVEL', ['info', 'debug'] as const, 'info')]).toEqual([
      false,
      'debug',
    ]);
    expect(
      problemsOf({ ON: 'maybe', LEVEL: 'loud' }, (reader) => {
        reader.boolean('ON', true);
        reader.oneOf('LEVEL', ['info', 'debug'] as const, 'info');
      }),
    ).toEqual([
      'ON must be one of true, false (got "maybe")',
      'LEVEL must be one of info, debug (got "loud")',
    ]);
  });

  it('requires secrets of at least 32 characters', () => {
    const secret = 'x'.repeat(32);
    expect(new ConfigReader({ KEY: secret }).secret('KEY')).toBe(secret);
    expect(
      problemsOf({ SHORT: 'x'.repeat(31) }, (reader) => {
        reader.secret('SHORT');
        reader.secret('MISSING');
      }),
    ).toEqual(['SHORT must be at least 32 characters', 'MISSING is required']);
  });

  it('lets an optional secret be unset, but not short', () => {
    expect(problemsOf({}, (reader) => reader.optionalSecret('KEY'))).toEqual([]);
    expect(problemsOf({ KEY: 'short' }, (reader) => reader.optionalSecret('KEY'))).toEqual([
      'KEY must be at least 32 characters',
    ]);
    expect(problemsOf({ KEY: 'x'.repeat(16) }, (reader) => reader.optionalSecret('KEY', 16))).toEqual([]);
  });

  it('takes URLs of the expected schemes only', () => {
    const read = new ConfigReader({ DB: 'postgresql://db/app' });
    expect(read.url('DB', 'postgres://fallback', ['postgres:', 'postgresql:'])).toBe('postgresql://db/app');
    expect(read.url('UNSET', 'postgres://fallback', ['postgres:'])).toBe('postgres://fallback');
    expect(read.optionalUrl('UNSET', ['http:'])).toBeUndefined();
    expect(
      problemsOf({ DB: 'mysql://db/app', HOOK: 'not a url' }, (reader) => {
        reader.url('DB', 'postgres://fallback', ['postgres:', 'postgresql:']);
        reader.optionalUrl('HOOK', ['http:', 'https:']);
      }),
    ).toEqual(['DB must be a postgres: or postgresql:// URL', 'HOOK must be a http: or https:// URL']);
  });

  it('requires a URL of the expected scheme', () => {
    expect(new ConfigReader({ DB: 'postgres://db/app' }).requiredUrl('DB', ['postgres:'])).toBe(
      'postgres://db/app',
    );
    expect(
      problemsOf({ BAD: 'mysql://db/app' }, (reader) => {
        reader.requiredUrl('MISSING', ['postgres:']);
        reader.requiredUrl('BAD', ['postgres:']);
      }),
    ).toEqual(['MISSING is required', 'BAD must be a postgres:// URL']);
  });

  it('reports a derived computation that throws, and rules across variables, among the rest', () => {
    expect(
      problemsOf({ PORT: 'x' }, (reader) => {
        reader.integer('PORT', 1, 0, 65_535);
        expect(reader.guard(() => JSON.parse('{') as number, 7)).toBe(7);
        reader.problem('A and B go together');
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535 (got "x")',
      expect.stringContaining('JSON') as unknown as string,
      'A and B go together',
    ]);
  });

  it('throws one ConfigError listing every problem', () => {
    const read = new ConfigReader({ A: 'x', B: 'y' });
    read.integer('A', 0, 0, 1);
    read.integer('B', 0, 0, 1);
    expect(() => read.assertValid()).toThrow(
      'Invalid configuration:\n  - A must be an integer from 0 to 1 (got "x")\n  - B must be an integer from 0 to 1 (got "y")',
    );
  });
});
