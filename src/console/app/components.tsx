// Small pieces every screen uses: status badges, notices, a copy button and a name/value list editor.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api';
import { STATUS_LABELS } from './format';
import type { DestinationStatus, EventType } from './types';

export function StatusBadge({ status }: { status: DestinationStatus }) {
  return <span class={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function DeliveryBadge({ status }: { status: string }) {
  return <span class={`badge delivery-${status}`}>{status}</span>;
}

/** Errors are shown with the API's own message and details, as text. */
export function ErrorNotice({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="notice notice-error" role="alert">
      <p>{error.message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((detail) => (
            <li key={detail.path}>
              <code>{detail.path}</code>: {detail.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div class={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** `what` completes the visible "Copy" for screen readers, so the accessible name starts with what is seen. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <button type="button" class="button" onClick={() => void copy()}>
      {copied ? 'Copied' : 'Copy'}
      <span class="visually-hidden"> {what}</span>
    </button>
  );
}

export type Pairs = [string, string][];

export function pairsOf(map: Record<string, string>): Pairs {
  return Object.entries(map);
}

export function mapOf(pairs: Pairs): Record<string, string> {
  return Object.fromEntries(pairs.filter(([name]) => name.trim() !== '').map(([name, value]) => [name.trim(), value]));
}

/** Headers and query parameters: rows of name and value, each labelled for screen readers. */
export function PairsEditor({ legend, pairs, onChange, nameLabel }: { legend: string; pairs: Pairs; onChange: (pairs: Pairs) => void; nameLabel: string }) {
  const set = (index: number, at: 0 | 1, value: string) =>
    onChange(pairs.map((pair, i) => (i === index ? ((at === 0 ? [value, pair[1]] : [pair[0], value]) as [string, string]) : pair)));
  return (
    <fieldset class="pairs">
      <legend>{legend}</legend>
      {pairs.map(([name, value], index) => (
        <div class="pair" key={index}>
          <input aria-label={`${nameLabel} ${index + 1} name`} placeholder="Name" value={name} onInput={(e) => set(index, 0, e.currentTarget.value)} />
          <input
            aria-label={`${nameLabel} ${index + 1} value`}
            placeholder="Value, may hold {{data.id}}"
            value={value}
            onInput={(e) => set(index, 1, e.currentTarget.value)}
          />
          <button
            type="button"
            class="button button-quiet"
            aria-label={`Remove ${nameLabel.toLowerCase()} ${index + 1}`}
            onClick={() => onChange(pairs.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="button button-quiet" onClick={() => onChange([...pairs, ['', '']])}>
        Add {nameLabel.toLowerCase()}
      </button>
    </fieldset>
  );
}

/** A labelled choice of the workspace's event types (a preview's example, a test send's type). */
export function EventTypeSelect({
  label,
  eventTypes,
  value,
  onChange,
}: {
  label: string;
  eventTypes: EventType[];
  value: string;
  onChange: (type: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {eventTypes.map((type) => (
          <option key={type.name} value={type.name}>
            {type.name}
          </option>
        ))}
      </select>
    </label>
  );
}
