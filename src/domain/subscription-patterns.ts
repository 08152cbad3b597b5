// The subscription patterns an event type answers to, so matching is an indexed `IN (...)` lookup.

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
