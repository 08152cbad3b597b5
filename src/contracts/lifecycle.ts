// What the data-lifecycle workflows and their activities exchange: a purge run's totals and an erasure's steps.

/** What one purge run removed, by kind and table: the counts the /metrics counters and the workflow's result show. */
export interface PurgeTotals {
  workspaces: number;
  payloads: { events: number; attempts: number; bytes: number };
  records: { events: number; deliveries: number; attempts: number; bytes: number };
}

/** Where a purge run had got to, heartbeated: a retry after a crash resumes with the next workspace. */
export interface PurgeProgress {
  nextWorkspaceIndex: number;
  totals: PurgeTotals;
}

export interface ErasureInput {
  erasureId: string;
  workspaceId: string;
  /** The subject's keyed hash: the workflow's input never carries the subject itself. */
  subjectHash: string;
}

export interface ErasureResult {
  erasureId: string;
  eventsErased: number;
  deliveriesCancelled: number;
  workflowsDeleted: number;
}

export function emptyPurgeTotals(): PurgeTotals {
  return { workspaces: 0, payloads: { events: 0, attempts: 0, bytes: 0 }, records: { events: 0, deliveries: 0, attempts: 0, bytes: 0 } };
}
