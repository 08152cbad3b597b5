// Decides which destinations an event reaches: event-type subscriptions and MongoDB-style payload filters.
import sift, { createEqualsOperation, type Query } from 'sift';
import { linearRegex } from './linear-regex';

/** sift's $regex with RE2 instead of V8's RegExp: a filter's pattern runs in time linear in the event's size. */
function linearRegexOperation(pattern: string, ownerQuery: Query<unknown>, options: Parameters<typeof createEqualsOperation>[2]) {
  const flags = typeof (ownerQuery as { $options?: unknown }).$options === 'string' ? (ownerQuery as { $options: string }).$options : '';
  const regex = linearRegex(pattern, flags);
  return createEqualsOperation((value: unknown) => typeof value === 'string' && regex.test(value), ownerQuery, options);
}

const MAX_TYPE_LENGTH = 128;
const MAX_SEGMENTS = 8;
const SEGMENT = /^[a-z][a-z0-9_]*$/;

function validSegments(segments: string[]): boolean {
  return segments.every((segment) => SEGMENT.test(segment));
}

/** `resource.action` style names such as `contact.created` or `lead.task.completed`: 2–8 lowercase segments. */
export function isValidEventTypeName(name: string): boolean {
  if (name.length > MAX_TYPE_LENGTH) return false;
  const segments = name.split('.');
  return segments.length >= 2 && segments.length <= MAX_SEGMENTS && validSegments(segments);
}

/** A subscription: an exact name, `*` for everything, or a prefix wildcard like `contact.*`. */
export function isValidEventTypePattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.length > MAX_TYPE_LENGTH) return false;
  if (!pattern.endsWith('.*')) return isValidEventTypeName(pattern);
  const prefix = pattern.slice(0, -2).split('.');
  return prefix.length < MAX_SEGMENTS && validSegments(prefix);
}

/** `contact.*` reaches every type below `contact` at any depth, but neither `contact` itself nor `contacts.x`. */
export function matchesEventType(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** `lead.task.update` → `*`, `lead.*`, `lead.task.*`, `lead.task.update`: exactly the patterns matchesEventType accepts. */
export function patternsMatchingType(type: string): string[] {
  const segments = type.split('.');
  const patterns = ['*'];
  for (let length = 1; length < segments.length; length += 1) {
    patterns.push(`${segments.slice(0, length).join('.')}.*`);
  }
  patterns.push(type);
  return patterns;
}

/*
 * Filters run inside the worker against every event, so only declarative operators are accepted:
 * sift also implements $where (arbitrary JavaScript) and would run it. Regexes run in RE2 (linear time;
 * no backreferences or lookaround) and are capped in length, and nesting is capped in depth, to bound the
 * cost of one filter.
 */
const ALLOWED_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$regex',
  '$options',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$all',
  '$size',
  '$elemMatch',
]);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const ARRAY_OPERATORS = new Set(['$in', '$nin', '$all']);
const MAX_REGEX_LENGTH = 256;
const MAX_DEPTH = 8;

export type FilterCheck = { ok: true } | { ok: false; message: string; path?: string };

class FilterProblem extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkOperator(operator: string, value: unknown, owner: Record<string, unknown>, path: string): void {
  if (!ALLOWED_OPERATORS.has(operator)) throw new FilterProblem(`operator ${operator} is not allowed`, path);
  if (LOGICAL_OPERATORS.has(operator) && (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject))) {
    throw new FilterProblem(`${operator} takes a non-empty array of filters`, path);
  }
  if (ARRAY_OPERATORS.has(operator) && !Array.isArray(value)) throw new FilterProblem(`${operator} takes an array`, path);
  if (operator === '$exists' && typeof value !== 'boolean') throw new FilterProblem('$exists takes true or false', path);
  if (operator === '$size' && !(Number.isInteger(value) && (value as number) >= 0)) {
    throw new FilterProblem('$size takes a non-negative integer', path);
  }
  if ((operator === '$elemMatch' || operator === '$not') && !isPlainObject(value)) {
    throw new FilterProblem(`${operator} takes an object`, path);
  }
  if (operator === '$options' && !(typeof value === 'string' && /^[imsu]*$/.test(value))) {
    throw new FilterProblem('$options takes regex flags from i, m, s, u', path);
  }
  if (operator === '$regex') {
    if (typeof value !== 'string') throw new FilterProblem('$regex takes a string', path);
    if (value.length > MAX_REGEX_LENGTH) throw new FilterProblem(`$regex is longer than ${MAX_REGEX_LENGTH} characters`, path);
    const flags = typeof owner.$options === 'string' && /^[imsu]*$/.test(owner.$options) ? owner.$options : '';
    try {
      linearRegex(value, flags);
    } catch {
      throw new FilterProblem('$regex is not a valid regular expression', path);
    }
  }
}

// Objects and arrays each count as one level of nesting; the filter itself is level 1.
function checkNode(value: unknown, path: string, depth: number): void {
  const container = Array.isArray(value) || (value !== null && typeof value === 'object');
  if (container && depth > MAX_DEPTH) throw new FilterProblem(`filter is nested more than ${MAX_DEPTH} levels deep`, path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkNode(item, `${path}/${index}`, depth + 1));
    return;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FilterProblem('numbers must be finite', path);
    return;
  }
  if (!isPlainObject(value)) throw new FilterProblem('filter values must be JSON', path);
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (key === '') throw new FilterProblem('empty field name', childPath);
    if (key.startsWith('$')) checkOperator(key, child, value, childPath);
    checkNode(child, childPath, depth + 1);
  }
}

/** Write-time check of a filter; `path` points at the offending part, JSON-pointer style (keys may contain dots). */
export function validateFilter(filter: unknown): FilterCheck {
  if (!isPlainObject(filter)) return { ok: false, message: 'filter must be a JSON object' };
  try {
    checkNode(filter, '', 1);
    return { ok: true };
  } catch (error) {
    if (error instanceof FilterProblem) return { ok: false, message: error.message, path: error.path };
    throw error;
  }
}

export class InvalidFilterError extends Error {
  override name = 'InvalidFilterError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/**
 * Whether the envelope passes the filter; a null filter passes everything. The filter is validated
 * again here (InvalidFilterError) so that a row written around the API can never reach sift's $where.
 */
export function matchesFilter(filter: Record<string, unknown> | null, envelope: unknown): boolean {
  if (filter === null) return true;
  const check = validateFilter(filter);
  if (!check.ok) throw new InvalidFilterError(check.message, check.path);
  return sift(filter, { operations: { $regex: linearRegexOperation } })(envelope);
}
