import { ConfigError } from './config-error.js';
import type { ConfigValues } from './config-values.js';

/** HMAC-SHA256 signing keys shorter than this are within reach of brute force. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Reads typed values out of environment strings. A bad value is recorded as a problem and its fallback
 * returned, so parsing goes on and `assertValid()` throws one ConfigError listing every problem in the order
 * they were read. A blank value counts as unset.
 */
export class ConfigReader {
  private readonly problems: string[] = [];

  constructor(private readonly values: ConfigValues) {}

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  text(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalText(name: string): string | undefined {
    return this.raw(name);
  }

  required(name: string): string {
    const value = this.raw(name);
    if (value === undefined) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  /** Signing keys: required, and long enough that HMAC-SHA256 is not brute-forceable. */
  secret(name: string): string {
    const value = this.required(name);
    this.checkSecretLength(name, value, MIN_SECRET_LENGTH);
    return value;
  }

  /** A signing key the app may draw for itself when unset; when set, at least `minLength` characters. */
  optionalSecret(name: string, minLength = MIN_SECRET_LENGTH): string | undefined {
    const value = this.raw(name);
    if (value !== undefined) this.checkSecretLength(name, value, minLength);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  /** A decimal number (a rate per second, say), written without an exponent. */
  decimal(name: string, fallback: number, min: number, max: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  /** A share from 0 to 1, written as a decimal (0.01 for 1 %). */
  ratio(name: string, fallback: number): number {
    return this.decimal(name, fallback, 0, 1);
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['true', 'false'] as const, fallback ? 'true' : 'false') === 'true';
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    return this.optionalUrl(name, protocols) ?? fallback;
  }

  requiredUrl(name: string, protocols: readonly string[]): string {
    if (!this.has(name)) return this.required(name);
    return this.optionalUrl(name, protocols) ?? '';
  }

  optionalUrl(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    try {
      if (protocols.includes(new URL(raw).protocol)) return raw;
    } catch {
      // reported below, with the expected form
    }
    this.problems.push(`${name} must be a ${protocols.join(' or ')}// URL`);
    return undefined;
  }

  /** A rule across variables (two that go together, one shorter than another) that no single read checks. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Runs a derived computation (e.g. the pool formula) and reports its error as a config problem. */
  guard<T>(compute: () => T, fallback: T): T {
    try {
      return compute();
    } catch (error) {
      this.problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  }

  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private checkSecretLength(name: string, value: string, minLength: number): void {
    if (value !== '' && value.length < minLength)
      this.problems.push(`${name} must be at least ${minLength} characters`);
  }

  private raw(name: string): string | undefined {
    const value = this.values[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }
}
