import {
  TemplateError,
  buildTemplateVariables,
  defaultEnvelope,
  renderBody,
  renderHeaders,
  renderUrl,
  validateBodyTemplate,
  validateTextTemplate,
  type TemplateVariables,
} from '../../src/domain/render';

const vars: TemplateVariables = buildTemplateVariables({
  eventId: 'evt_01JABC',
  eventType: 'contact.created',
  occurredAt: '2025-01-01T12:00:00.000Z',
  data: {
    id: 'c/42?x=1&y=2',
    name: 'Zoë Ng',
    total: 120.5,
    vip: true,
    manager: null,
    address: { city: 'Oslo', zip: '0150' },
    items: [
      { sku: 'A-1', qty: 2 },
      { sku: 'B-2', qty: 1 },
    ],
  },
  subject: 'contact_42',
  workspaceId: 'ws_1',
  destinationName: 'CRM sync',
});

function templateErrorCode(action: () => unknown): string {
  try {
    action();
    return 'rendered';
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return (error as TemplateError).code;
  }
}

describe('template variables', () => {
  it('expose the event, its data and subject, the workspace and the destination', () => {
    expect(vars).toEqual({
      event: { id: 'evt_01JABC', type: 'contact.created', timestamp: '2025-01-01T12:00:00.000Z' },
      data: expect.objectContaining({ name: 'Zoë Ng' }),
      subject: 'contact_42',
      workspace: { id: 'ws_1' },
      destination: { name: 'CRM sync' },
    });
  });
});

describe('default envelope', () => {
  it('is id, type, timestamp, workspace_id and data, in that order', () => {
    expect(Object.keys(defaultEnvelope(vars))).toEqual(['id', 'type', 'timestamp', 'workspace_id', 'data']);
    expect(defaultEnvelope(vars)).toEqual({
      id: 'evt_01JABC',
      type: 'contact.created',
      timestamp: '2025-01-01T12:00:00.000Z',
      workspace_id: 'ws_1',
      data: vars.data,
    });
  });

  it('is the body when the destination has no template', () => {
    expect(renderBody(null, vars)).toBe(JSON.stringify(defaultEnvelope(vars)));
    expect(renderBody(undefined, vars)).toBe(JSON.stringify(defaultEnvelope(vars)));
  });
});

describe('URL rendering', () => {
  it('percent-encodes placeholder values so they stay inside their path segment', () => {
    expect(renderUrl('https://crm.example.com/contacts/{{data.id}}', {}, vars)).toBe('https://crm.example.com/contacts/c%2F42%3Fx%3D1%26y%3D2');
  });

  it('allows whitespace inside the braces', () => {
    expect(renderUrl('https://crm.example.com/{{ event.type }}/{{  subject}}', {}, vars)).toBe('https://crm.example.com/contact.created/contact_42');
  });

  it('appends templated query parameters after the URL’s own query', () => {
    expect(renderUrl('https://crm.example.com/hook?source=hookline', { event: '{{event.type}}', who: '{{data.name}}' }, vars)).toBe(
      'https://crm.example.com/hook?source=hookline&event=contact.created&who=Zo%C3%AB+Ng',
    );
    expect(renderUrl('https://crm.example.com/hook', { city: '{{data.address.city}}' }, vars)).toBe('https://crm.example.com/hook?city=Oslo');
  });

  it('renders missing values as empty', () => {
    expect(renderUrl('https://crm.example.com/x/{{data.nope}}', { m: '{{data.manager}}' }, vars)).toBe('https://crm.example.com/x/?m=');
  });

  it('reports a URL that is invalid after rendering', () => {
    expect(templateErrorCode(() => renderUrl('{{data.name}}', {}, vars))).toBe('template_error');
  });
});

describe('header rendering', () => {
  it('templates values without encoding them', () => {
    expect(renderHeaders({ 'X-Contact': '{{data.name}} <{{data.id}}>', 'X-Static': 'yes' }, vars)).toEqual({
      'X-Contact': 'Zoë Ng <c/42?x=1&y=2>',
      'X-Static': 'yes',
    });
  });

  it('writes objects as JSON', () => {
    expect(renderHeaders({ 'X-Address': '{{data.address}}' }, vars)).toEqual({ 'X-Address': '{"city":"Oslo","zip":"0150"}' });
  });

  it('refuses values that would carry a line break into the request', () => {
    const withNewline = { ...vars, data: { note: 'ok\r\nX-Injected: 1' } };
    expect(templateErrorCode(() => renderHeaders({ 'X-Note': '{{data.note}}' }, withNewline))).toBe('header_injection');
    expect(templateErrorCode(() => renderHeaders({ 'X-Note': '{{data.note}}' }, { ...vars, data: { note: 'a\nb' } }))).toBe('header_injection');
  });
});

describe('body rendering', () => {
  it('gives a leaf that is exactly one placeholder the value’s own JSON type', () => {
    const body = renderBody(
      {
        total: '{{data.total}}',
        vip: '{{data.vip}}',
        manager: '{{data.manager}}',
        address: '{{data.address}}',
        items: '{{data.items}}',
        name: '{{ data.name }}',
      },
      vars,
    );
    expect(JSON.parse(body)).toEqual({
      total: 120.5,
      vip: true,
      manager: null,
      address: { city: 'Oslo', zip: '0150' },
      items: [
        { sku: 'A-1', qty: 2 },
        { sku: 'B-2', qty: 1 },
      ],
      name: 'Zoë Ng',
    });
  });

  it('renders a missing value as an empty string, in typed leaves and interpolation alike', () => {
    expect(JSON.parse(renderBody({ a: '{{data.nope}}', b: 'x{{data.nope}}y', c: '{{data.items.9.sku}}' }, vars))).toEqual({ a: '', b: 'xy', c: '' });
  });

  it('interpolates placeholders inside longer strings, writing objects as JSON', () => {
    expect(JSON.parse(renderBody({ text: '{{data.name}} spent {{data.total}} in {{data.address}}' }, vars))).toEqual({
      text: 'Zoë Ng spent 120.5 in {"city":"Oslo","zip":"0150"}',
    });
  });

  it('follows array indexes in paths', () => {
    expect(JSON.parse(renderBody({ first: '{{data.items.0.sku}}', qty: '{{data.items.1.qty}}' }, vars))).toEqual({ first: 'A-1', qty: 1 });
  });

  it('walks nested arrays and objects, leaving keys and non-string values alone', () => {
    const template = { '{{data.name}}': ['{{event.id}}', 1, false, null, { deep: '{{workspace.id}}' }] };
    expect(JSON.parse(renderBody(template, vars))).toEqual({ '{{data.name}}': ['evt_01JABC', 1, false, null, { deep: 'ws_1' }] });
  });

  it('produces valid JSON whatever the data contains', () => {
    const tricky = { ...vars, data: { quote: 'he said "hi"\n\u2028 and \\ left' } };
    const body = renderBody({ msg: 'note: {{data.quote}}', raw: '{{data.quote}}' }, tricky);
    expect(JSON.parse(body)).toEqual({ msg: 'note: he said "hi"\n\u2028 and \\ left', raw: 'he said "hi"\n\u2028 and \\ left' });
  });

  it('renders a template that is a single placeholder as that value', () => {
    expect(renderBody('{{data.address}}', vars)).toBe('{"city":"Oslo","zip":"0150"}');
  });

  it('does not reach into prototypes', () => {
    expect(JSON.parse(renderBody({ c: '{{data.constructor}}', l: '{{data.items.length}}' }, vars))).toEqual({ c: '', l: '' });
  });

  it('refuses malformed placeholders', () => {
    expect(templateErrorCode(() => renderBody({ a: '{{ }}' }, vars))).toBe('template_error');
    expect(templateErrorCode(() => renderBody({ a: '{{data.x' }, vars))).toBe('template_error');
    expect(templateErrorCode(() => renderBody({ a: '{{data..x}}' }, vars))).toBe('template_error');
  });
});

describe('template validation', () => {
  it('accepts well-formed templates over known variables', () => {
    expect(validateTextTemplate('https://x.example/{{data.anything.at.all}}?t={{event.type}}&s={{subject}}')).toBeNull();
    expect(validateTextTemplate('{{workspace.id}} {{destination.name}} {{event}}')).toBeNull();
    expect(validateBodyTemplate({ a: ['{{data.x}}', { b: '{{event.timestamp}}' }], n: 1, z: null })).toBeNull();
    expect(validateBodyTemplate(null)).toBeNull();
  });

  it('names malformed placeholders', () => {
    expect(validateTextTemplate('{{ }}')).toMatch(/empty placeholder/);
    expect(validateTextTemplate('a {{data.x')).toMatch(/unclosed placeholder/);
    expect(validateTextTemplate('{{data x}}')).toMatch(/malformed placeholder/);
  });

  it('names unknown variables and fields', () => {
    expect(validateTextTemplate('{{payload.id}}')).toMatch(/unknown variable \{\{payload.id\}\}/);
    expect(validateTextTemplate('{{event.name}}')).toMatch(/event has only id, type, timestamp/);
    expect(validateTextTemplate('{{subject.id}}')).toMatch(/subject has no fields/);
  });

  it('points at the offending part of a body template', () => {
    expect(validateBodyTemplate({ a: [{ b: '{{dta.x}}' }] })).toMatch(/at \/a\/0\/b/);
  });
});
