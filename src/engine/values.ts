import type { Condition } from './flow.js';

/** Reads "a.b.c" from vars. */
export function readPath(vars: Record<string, unknown>, path: string): unknown {
  let current: unknown = vars;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Resolves "$path" strings (recursively in arrays and objects) against vars; "$$" escapes a dollar. */
export function resolve(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('$$')) return value.slice(1);
    if (value.startsWith('$')) return readPath(vars, value.slice(1));
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, vars)]));
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function holds(condition: Condition, vars: Record<string, unknown>): boolean {
  const actual = readPath(vars, condition.var);
  if (condition.exists !== undefined) {
    const present = actual !== undefined && actual !== null && actual !== '' && !(Array.isArray(actual) && actual.length === 0);
    return present === condition.exists;
  }
  if ('is' in condition) return equal(actual, resolve(condition.is, vars));
  if ('not' in condition) return !equal(actual, resolve(condition.not, vars));
  if (condition.in) return condition.in.some((option) => equal(actual, resolve(option, vars)));
  return false;
}

/** Fills "$path" tokens inside a string ("accept_offer $event.offer" → "accept_offer o123"). */
export function fill(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\$([a-z_][\w.]*)/gi, (_, path: string) => {
    const value = readPath(vars, path);
    return value === undefined || value === null ? '' : String(value);
  });
}
