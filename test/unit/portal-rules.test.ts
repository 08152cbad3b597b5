// The portal's pure rules: what a scope sees, which origins may frame it, and how stored requests hide credentials.
import { maskHeaders, maskUrl, MASK } from '../../src/domain/credential-mask';
import { frameAncestorProblem, frameAncestorsDirective } from '../../src/domain/frame-ancestors';
import {
  assertDestinationVisible,
  assertMayCreateDestination,
  assertSubscriptionsAllowed,
  seesEventType,
  visibleEventTypes,
  type PortalScope,
} from '../../src/domain/portal-scope';

const narrowed: PortalScope = { sessionId: 'ps_1', destinationIds: ['dst_a'], eventTypes: ['contact.created'], readOnly: false };

describe('portal scope', () => {
  it('a workspace key (no scope) sees everything', () => {
    expect(() => assertDestinationVisible(null, 'dst_any')).not.toThrow();
    expect(seesEventType(null, 'deal.won')).toBe(true);
    expect(visibleEventTypes(null)).toBeNull();
  });

  it('a narrowed session sees its destinations and event types, plus webhook.test', () => {
    expect(() => assertDestinationVisible(narrowed, 'dst_a')).not.toThrow();
    expect(() => assertDestinationVisible(narrowed, 'dst_b')).toThrow('Destination not found');
    expect(seesEventType(narrowed, 'contact.created')).toBe(true);
    expect(seesEventType(narrowed, 'contact.deleted')).toBe(false);
    expect(visibleEventTypes(narrowed)).toEqual(['contact.created', 'webhook.test']);
  });

  it('subscribes only to its own event types, and creates no destination it could not see', () => {
    expect(() => assertSubscriptionsAllowed(narrowed, ['contact.created'])).not.toThrow();
    expect(() => assertSubscriptionsAllowed(narrowed, ['contact.*'])).toThrow('may subscribe only to contact.created');
    expect(() => assertMayCreateDestination(narrowed)).toThrow('cannot create others');
    expect(() => assertMayCreateDestination({ ...narrowed, destinationIds: null })).not.toThrow();
  });
});

describe('frame ancestors', () => {
  it('accepts origins and wildcard subdomains, nothing that could extend the CSP', () => {
    expect(frameAncestorProblem('https://app.example.com')).toBeNull();
    expect(frameAncestorProblem('https://*.example.com')).toBeNull();
    expect(frameAncestorProblem('http://localhost:8080')).toBeNull();
    for (const bad of ['https://a.example.com/path', "https://a.example; script-src 'unsafe-inline'", "'self'", '*', 'javascript:alert(1)']) {
      expect(frameAncestorProblem(bad)).not.toBeNull();
    }
  });

  it("is 'none' without origins", () => {
    expect(frameAncestorsDirective([])).toBe("frame-ancestors 'none'");
    expect(frameAncestorsDirective(['https://a.example.com'])).toBe('frame-ancestors https://a.example.com');
  });
});

describe('credential masking', () => {
  it('masks credential-like header values and keeps the rest', () => {
    expect(maskHeaders({ authorization: 'Bearer abc', 'x-api-key': 'k', 'content-type': 'application/json' })).toEqual({
      authorization: MASK,
      'x-api-key': MASK,
      'content-type': 'application/json',
    });
  });

  it('masks user info and credential-like query values in a URL', () => {
    const masked = maskUrl('https://user:pass@hooks.example.com/in?token=t0k&contact=c_1');
    expect(masked).not.toContain('pass');
    expect(masked).not.toContain('t0k');
    expect(masked).toContain('contact=c_1');
  });
});
