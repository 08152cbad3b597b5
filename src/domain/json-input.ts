// What no accepted JSON may hold, because PostgreSQL could not store it or JavaScript would drop it silently.
import { RuleViolationError } from './errors';

/** Deeper than this is refused: no payload a person writes needs it, and recursion over it must stay bounded. */
export const MAX_JSON_DEPTH = 64;

// PostgreSQL's text and jsonb hold no NUL; a lone surrogate (half an emoji, cut) is not valid Unicode for it either.
const NUL = /\u0000/;
// A key JavaScript objects treat as the prototype: zod and spreads would drop it without a word.
const FORBIDDEN_KEYS = new Set(['__proto__']);

function textProblem(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate (a character cut in half), which cannot be stored';
  return null;
}

function refuse(code: string, path: string, message: string): RuleViolationError {
  return new RuleViolationError(code, `${path} ${message}`, [{ path, message, code }]);
}

/**
 * Walks a parsed JSON value without recursion (depth is bounded anyway) and throws the first thing that cannot
 * be stored as it was sent: NUL or broken Unicode in a string or key, a `__proto__` key, or excessive nesting.
 */
export function assertStorableJson(value: unknown, root: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) throw refuse('unstorable_text', path, problem);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw refuse('too_deeply_nested', path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    for (const [key, child] of Object.entries(current)) {
      const childPath = `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) throw refuse('forbidden_key', childPath, 'is a key that cannot be used (__proto__)');
      const problem = textProblem(key);
      if (problem) throw refuse('unstorable_text', childPath, `key ${problem}`);
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

/**
 * Nesting depth of a JSON text, counted on the raw bytes before parsing (so a body of a million `[` never reaches
 * a recursive parser or error locator). Brackets inside strings do not count.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return deepest;
}

/** Control characters (C0, DEL) have no place in an id, a cursor or a filter value. */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}
