// The `{{path}}` placeholder language shared by destination URLs, headers and body templates: parsing and lookup.

export type TemplateErrorCode = 'template_error' | 'header_injection';

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type TemplateSegment = { kind: 'text'; text: string } | { kind: 'placeholder'; path: string[]; source: string };

/*
 * Which paths a template may name. `data` is the event's own payload, so anything below it is allowed;
 * the other roots have a fixed shape, and naming a field they lack is almost always a typo worth
 * reporting when the destination is saved rather than rendering "" on every delivery.
 */
const KNOWN_FIELDS: Record<string, readonly string[] | 'any' | 'leaf'> = {
  event: ['id', 'type', 'timestamp'],
  data: 'any',
  subject: 'leaf',
  workspace: ['id'],
  destination: ['name'],
};

export const TEMPLATE_ROOTS: readonly string[] = Object.keys(KNOWN_FIELDS);

// Segments exclude separators, braces and whitespace; array elements are addressed by number (`items.0.sku`).
const SEGMENT = /^[^.\s{}]+$/;

function parsePath(inner: string, source: string): string[] {
  const trimmed = inner.trim();
  if (trimmed === '') throw new TemplateError('template_error', `empty placeholder ${source}`);
  const path = trimmed.split('.');
  if (!path.every((segment) => SEGMENT.test(segment))) {
    throw new TemplateError('template_error', `malformed placeholder ${source}: use a dotted path such as {{data.id}}`);
  }
  return path;
}

/** Splits text into literal and placeholder segments; TemplateError('template_error') on malformed placeholders. */
export function parseTextTemplate(text: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf('{{', cursor);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('template_error', `unclosed placeholder starting at "${text.slice(open, open + 40)}"`);
    if (open > cursor) segments.push({ kind: 'text', text: text.slice(cursor, open) });
    const source = text.slice(open, close + 2);
    segments.push({ kind: 'placeholder', path: parsePath(text.slice(open + 2, close), source), source });
    cursor = close + 2;
  }
  if (cursor < text.length) segments.push({ kind: 'text', text: text.slice(cursor) });
  return segments;
}

/** Why a path cannot name a template variable, or null when it can. */
export function unknownVariableReason(path: string[]): string | null {
  const [root, field, ...deeper] = path;
  const known = root === undefined ? undefined : KNOWN_FIELDS[root];
  const shown = `{{${path.join('.')}}}`;
  if (known === undefined) return `unknown variable ${shown}: placeholders start with ${TEMPLATE_ROOTS.join(', ')}`;
  if (known === 'any' || field === undefined) return null;
  if (known === 'leaf' || !known.includes(field) || deeper.length > 0) {
    return `unknown variable ${shown}: ${root} has ${known === 'leaf' ? 'no fields' : `only ${known.join(', ')}`}`;
  }
  return null;
}

/**
 * The value at a dotted path, or undefined when any step is missing. Only own properties are
 * followed, so `{{data.constructor}}` cannot reach into prototypes.
 */
export function lookupPath(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Text for a value placed inside a larger string: missing and null render empty, structures as JSON. */
export function interpolatedText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Renders a text template, passing each placeholder's value through `encode` (e.g. URL encoding). */
export function renderTextTemplate(text: string, variables: unknown, encode: (text: string) => string = (t) => t): string {
  return parseTextTemplate(text)
    .map((segment) => (segment.kind === 'text' ? segment.text : encode(interpolatedText(lookupPath(variables, segment.path)))))
    .join('');
}
