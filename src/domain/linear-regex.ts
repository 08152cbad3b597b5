// Regular expressions that users write (JSON Schema `pattern`, filter `$regex`) run in linear time, through RE2.
import { RE2JS } from 're2js';

export interface LinearRegex {
  test(text: string): boolean;
  /** ajv keys its compiled patterns by this text, like a RegExp's. */
  toString(): string;
}

/*
 * V8's backtracking engine takes time exponential in the input for patterns like `(a+)+$`: one such pattern in one
 * workspace's schema or filter would freeze the API's or the worker's event loop for everyone. RE2 has no
 * backtracking (and so no backreferences or lookaround); a pattern it cannot compile is refused at write time.
 */
export function linearRegex(pattern: string, flags = ''): LinearRegex {
  let options = 0;
  if (flags.includes('i')) options |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) options |= RE2JS.MULTILINE;
  if (flags.includes('s')) options |= RE2JS.DOTALL;
  const compiled = RE2JS.compile(pattern, options);
  return { test: (text) => compiled.matcher(text).find(), toString: () => `/${pattern}/${flags}` };
}

/** ajv's `code.regExp` engine: its patterns are compiled by RE2 too (unicode is RE2's default). */
export const ajvRegExpEngine = Object.assign((pattern: string, _flags: string) => linearRegex(pattern), { code: 'linearRegex' });
