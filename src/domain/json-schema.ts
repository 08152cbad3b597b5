// Compiles the JSON Schemas workspaces register for their event types (ajv 8) and words their errors.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RuleViolationError, type ErrorDetail } from './errors';
import { ajvRegExpEngine } from './linear-regex';

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const DRAFT_2020_12 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

/*
 * A fresh ajv instance per schema: ajv registers every `$id` it compiles instance-wide, so a shared
 * instance would let one workspace's schema `$ref` another's (or collide on the same `$id`).
 * Compiled validators are cached by the callers, so the cost is paid once per schema version.
 * strict mode is off because registered schemas often carry vendor keywords (`x-...`) and formats we
 * do not know; structural mistakes still fail ajv's meta-schema check. Remote `$ref`s are never fetched.
 */
function newAjv(schema: Record<string, unknown>): Ajv | null {
  const declared = schema.$schema;
  const options = { strict: false, allErrors: true, logger: false as const, code: { regExp: ajvRegExpEngine } };
  let ajv: Ajv;
  if (declared === undefined || (typeof declared === 'string' && DRAFT_2020_12.test(declared))) ajv = new Ajv2020(options);
  else if (typeof declared === 'string' && DRAFT_07.test(declared)) ajv = new Ajv(options);
  else return null;
  addFormats(ajv);
  return ajv;
}

/** A validator for a registered schema, or why it cannot be one (the text ajv gave). */
export function compileJsonSchema(schema: Record<string, unknown>): CompiledSchema {
  const ajv = newAjv(schema);
  if (!ajv) {
    return {
      ok: false,
      message: '$schema must be https://json-schema.org/draft/2020-12/schema (the default) or http://json-schema.org/draft-07/schema#',
    };
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  // `{"$ref": "#"}` compiles, then recurses without consuming data on every input: found here, not at the first event.
  for (const sample of SAMPLES) {
    if (validatesWithin(validate, sample) === 'unbounded') return { ok: false, message: 'the schema refers to itself without consuming data ($ref loop)' };
  }
  return { ok: true, validate };
}

const SAMPLES: unknown[] = [null, {}, [], '', 0, { a: [{}] }];

/** Runs a validator; a schema whose recursion outruns the stack says so instead of throwing. */
export function validatesWithin(validate: ValidateFunction, data: unknown): boolean | 'unbounded' {
  try {
    return validate(data) as boolean;
  } catch (error) {
    if (error instanceof RangeError) return 'unbounded';
    throw error;
  }
}

/** `/items/0/sku` (a JSON Pointer) under `root` → `root.items.0.sku`. */
function dottedPath(root: string, pointer: string): string {
  if (pointer === '') return root;
  const segments = pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [root, ...segments].join('.');
}

/** One detail per ajv error, each naming the offending field under `root` (e.g. `data.email`). */
export function schemaErrorDetails(errors: ErrorObject[] | null | undefined, root: string): ErrorDetail[] {
  return (errors ?? []).map((error) => {
    // A missing property is reported on its parent by ajv; the person fixing the payload wants the field itself.
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
      return { path: dottedPath(root, `${error.instancePath}/${missing}`), message: 'is required', code: 'required' };
    }
    return { path: dottedPath(root, error.instancePath), message: error.message ?? 'is invalid', code: error.keyword };
  });
}

/** "data.email must match format \"email\" (and 2 more)": the first problem in words, the rest counted. */
export function summarizeSchemaErrors(details: ErrorDetail[]): string {
  const [first, ...rest] = details;
  if (!first) return 'does not match the schema';
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return `${first.path} ${first.message}${more}`;
}

/** The schema must compile, and an example given with it must pass it: a catalog entry that rejects its own example helps nobody. */
export function checkSchemaAndExample(schema: Record<string, unknown> | null, example: unknown): void {
  if (!schema) return;
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) {
    throw new RuleViolationError('invalid_schema', `schema is not a valid JSON Schema: ${compiled.message}`, [
      { path: 'body.schema', message: compiled.message },
    ]);
  }
  if (example === undefined || example === null) return;
  const verdict = validatesWithin(compiled.validate, example);
  if (verdict === 'unbounded')
    throw new RuleViolationError('invalid_schema', 'schema is not usable: validating the example recursed without end', [
      { path: 'body.schema', message: 'recursion without end' },
    ]);
  if (verdict) return;
  const details = schemaErrorDetails(compiled.validate.errors, 'body.example');
  throw new RuleViolationError('invalid_example', `example does not match the schema: ${summarizeSchemaErrors(details)}`, details);
}
