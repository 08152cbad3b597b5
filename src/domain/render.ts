// Renders a destination's URL, headers and body for one event from its templates.
import { eventEnvelope, type EventEnvelope } from './envelope';
import { TemplateError, interpolatedText, lookupPath, parseTextTemplate, renderTextTemplate, unknownVariableReason } from './template-syntax';

export { TemplateError, type TemplateErrorCode } from './template-syntax';

export interface TemplateVariables {
  event: { id: string; type: string; timestamp: string };
  data: unknown;
  subject: string | null;
  workspace: { id: string };
  destination: { name: string };
}

export function buildTemplateVariables(input: {
  eventId: string;
  eventType: string;
  occurredAt: string;
  data: unknown;
  subject: string | null;
  workspaceId: string;
  destinationName: string;
}): TemplateVariables {
  return {
    event: { id: input.eventId, type: input.eventType, timestamp: input.occurredAt },
    data: input.data,
    subject: input.subject,
    workspace: { id: input.workspaceId },
    destination: { name: input.destinationName },
  };
}

/** The body sent when a destination has no template. */
export function defaultEnvelope(vars: TemplateVariables): EventEnvelope {
  const { event, workspace, data } = vars;
  return eventEnvelope({ eventId: event.id, type: event.type, occurredAt: event.timestamp, workspaceId: workspace.id, data });
}

/**
 * A placeholder's value inside the URL: percent-encoded, and never a dot segment (`.` or `..`), which URL parsing
 * would resolve away: `/hooks/{{data.x}}/end` must not become `/end`.
 */
function urlComponent(value: string): string {
  const encoded = encodeURIComponent(value);
  if (encoded === '.' || encoded === '..') {
    throw new TemplateError('template_error', `a URL placeholder rendered to "${encoded}", which would change the shape of the path`);
  }
  return encoded;
}

/**
 * Placeholders in the URL are percent-encoded so a value cannot change the URL's structure
 * (a `/` or `?` in data stays inside its path segment). Query parameters are appended after the
 * URL's own query without re-encoding it; a key present in both is sent twice.
 */
export function renderUrl(template: string, queryParams: Record<string, string>, vars: TemplateVariables): string {
  const rendered = renderTextTemplate(template, vars, urlComponent);
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new TemplateError('template_error', `rendered URL is not valid: ${rendered}`);
  }
  const extra = new URLSearchParams();
  for (const [name, value] of Object.entries(queryParams)) extra.append(name, renderTextTemplate(value, vars));
  const extraQuery = extra.toString();
  if (extraQuery !== '') url.search = url.search === '' ? extraQuery : `${url.search.slice(1)}&${extraQuery}`;
  return url.toString();
}

/** Why a header value cannot go on the wire (HTTP field values are visible Latin-1 and tabs), or null. */
export function headerValueProblem(value: string): string | null {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'contains a control character or line break';
  if (/[^\u0000-\u00ff]/.test(value)) return 'contains characters outside Latin-1 (encode them, e.g. percent-encoding)';
  return null;
}

/** Header values are templated verbatim; CR, LF or NUL from data would let an event smuggle in headers, so they are refused. */
export function renderHeaders(headers: Record<string, string>, vars: TemplateVariables): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(headers)) {
    const value = renderTextTemplate(template, vars);
    if (/[\r\n\0]/.test(value)) {
      throw new TemplateError('header_injection', `header ${name} would contain a line break or NUL after rendering`);
    }
    const problem = headerValueProblem(value);
    if (problem) throw new TemplateError('template_error', `header ${name} cannot be sent after rendering: it ${problem}`);
    out[name] = value;
  }
  return out;
}

/*
 * Body templates are JSON values. A string that is exactly one placeholder takes the value's own
 * JSON type (object, number, boolean, null), so `{"total": "{{data.total}}"}` stays a number.
 * A missing value renders as "" — in typed leaves too — so that a receiver always sees the key and
 * a typo shows up as an empty string instead of silently disappearing. Other strings interpolate.
 * Keys are never templated. The result is JSON.stringify'd, so the body is valid JSON by construction.
 */
/**
 * What a render may still produce, in bytes (about: UTF-16 length). A template repeating a large value could
 * otherwise render gigabytes before anything checks; the budget stops it while it grows.
 */
class RenderBudget {
  private readonly sizes = new Map<string, number>();
  constructor(
    private remaining: number,
    private readonly limit: number,
  ) {}

  spend(size: number): void {
    this.remaining -= size;
    if (this.remaining < 0) throw new TemplateError('template_error', `the rendered request would be larger than ${this.limit} bytes`);
  }

  /** A placeholder's serialised size, measured once per path however often the template repeats it. */
  sizeOf(source: string, value: unknown): number {
    let size = this.sizes.get(source);
    if (size === undefined) this.sizes.set(source, (size = typeof value === 'string' ? value.length : (JSON.stringify(value) ?? '').length));
    return size;
  }
}

function renderJson(template: unknown, vars: TemplateVariables, budget: RenderBudget): unknown {
  if (typeof template === 'string') {
    const segments = parseTextTemplate(template);
    const only = segments[0];
    if (segments.length === 1 && only?.kind === 'placeholder') {
      const value = lookupPath(vars, only.path);
      budget.spend(budget.sizeOf(only.source, value));
      return value === undefined ? '' : value;
    }
    const text = segments.map((s) => (s.kind === 'text' ? s.text : interpolatedText(lookupPath(vars, s.path)))).join('');
    budget.spend(text.length);
    return text;
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(item, vars, budget));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      budget.spend(key.length);
      out[key] = renderJson(value, vars, budget);
    }
    return out;
  }
  return template;
}

/** Unbounded unless a limit is given: the attempt passes the configured cap on a rendered request. */
export function renderBody(template: unknown | null, vars: TemplateVariables, maxBytes = Number.POSITIVE_INFINITY): string {
  const body =
    template === null || template === undefined
      ? JSON.stringify(defaultEnvelope(vars))
      : JSON.stringify(renderJson(template, vars, new RenderBudget(maxBytes, maxBytes)));
  if (Buffer.byteLength(body) > maxBytes) throw new TemplateError('template_error', `the rendered request would be larger than ${maxBytes} bytes`);
  return body;
}

export interface RequestTemplate {
  url: string;
  method: string;
  query_params: Record<string, string>;
  headers: Record<string, string>;
  body_template: unknown | null;
}

export interface RenderedRequest {
  url: string;
  /** Lower-case names; signature headers are added when the request is signed, not here. */
  headers: Record<string, string>;
  body: string;
}

/**
 * The unsigned request a destination sends for one event: what attempts send and what the console's preview
 * shows, from this one function, so the two cannot drift. Defaults come first so a destination may set its
 * own User-Agent or Content-Type (names compared case-insensitively).
 */
export function renderRequest(template: RequestTemplate, vars: TemplateVariables, userAgent: string, maxBodyBytes = Number.POSITIVE_INFINITY): RenderedRequest {
  const url = renderUrl(template.url, template.query_params, vars);
  const withBody = template.method !== 'GET';
  const headers: Record<string, string> = { 'user-agent': userAgent, ...(withBody ? { 'content-type': 'application/json' } : {}) };
  for (const [name, value] of Object.entries(renderHeaders(template.headers, vars))) headers[name.toLowerCase()] = value;
  return { url, headers, body: withBody ? renderBody(template.body_template, vars, maxBodyBytes) : '' };
}

/** Why a text template (URL, query value or header value) is unusable, or null when it is fine. */
export function validateTextTemplate(text: string): string | null {
  try {
    for (const segment of parseTextTemplate(text)) {
      if (segment.kind !== 'placeholder') continue;
      const reason = unknownVariableReason(segment.path);
      if (reason !== null) return reason;
    }
    return null;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}

function pointer(path: readonly (string | number)[]): string {
  return '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function bodyTemplateProblem(template: unknown, path: (string | number)[]): string | null {
  if (typeof template === 'string') {
    const reason = validateTextTemplate(template);
    return reason === null ? null : `${reason} (at ${pointer(path)})`;
  }
  if (typeof template === 'number') return Number.isFinite(template) ? null : `non-finite number at ${pointer(path)}`;
  if (template === null || typeof template === 'boolean') return null;
  if (Array.isArray(template)) {
    for (const [index, item] of template.entries()) {
      const problem = bodyTemplateProblem(item, [...path, index]);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (typeof template === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(template))) {
    for (const [key, value] of Object.entries(template)) {
      const problem = bodyTemplateProblem(value, [...path, key]);
      if (problem !== null) return problem;
    }
    return null;
  }
  return `not a JSON value at ${pointer(path)}`;
}

/** Why a body template is unusable, or null when it is fine (null itself means "send the default envelope"). */
export function validateBodyTemplate(template: unknown): string | null {
  if (template === null || template === undefined) return null;
  return bodyTemplateProblem(template, []);
}
