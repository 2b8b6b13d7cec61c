import { CliError } from './cli-error.js';

// Converters of flag values: each refuses a bad value with the flag, the value and an example.

function badValue(flag: string, value: string, expected: string): CliError {
  return new CliError(`${flag} must be ${expected} (got "${value}").`, { code: 'bad-argument' });
}

/** The value, unless it is blank. */
export function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw badValue(flag, value, 'a non-empty value');
  return value;
}

/** Parses a whole positive integer written in decimal (`2`, not `2.5`, `0x2` or `2abc`). */
export function parsePositiveInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw badValue(flag, value, 'a whole number of at least 1, e.g. 2');
  }
  return Number(value);
}

/** A whole number of 0 or more (`0`, `10`). */
export function parseNonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw badValue(flag, value, 'a whole number of 0 or more, e.g. 10');
  }
  return Number(value);
}

/** A finite number greater than 0 (`1.50`). */
export function parsePositiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw badValue(flag, value, 'a number greater than 0, e.g. 1.50');
  }
  return number;
}

/** One of the review modes. */
export function parseReview(value: string): 'off' | 'agent' | 'codex' {
  if (value === 'off' || value === 'agent' || value === 'codex') return value;
  throw badValue('--review', value, 'one of off, agent, codex');
}

/** An http(s) URL. */
export function parseUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badValue(flag, value, 'an http(s) URL, e.g. http://127.0.0.1:8080/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badValue(flag, value, 'an http(s) URL, e.g. http://127.0.0.1:8080/v1');
  }
  return value;
}
