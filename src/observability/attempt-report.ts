// What one delivery attempt tells the operators: one structured log line and the attempt and delivery metrics.
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { SendResult } from '../activities/http/send';
import type { DeliveryStatus } from '../domain/delivery';
import { deliveryWorkflowId } from '../domain/workflow-ids';
import { outcomeClassOf, type OutcomeClass } from './outcome-class';
import type { HealthSignalKind, WorkerMetrics } from './worker-metrics';

/** The attempt's context, as loaded for it: ids, names and the time the event was accepted. */
export interface AttemptSubject {
  delivery_id: string;
  event_id: string;
  event_type: string;
  destination_id: string;
  workspace_id: string;
  name: string;
  method: string;
  is_test: boolean;
  received_at: Date;
}

export interface AttemptReport {
  row: AttemptSubject;
  /** The rendered URL; only its origin and path are logged, since query values may hold a receiver's token. */
  url: string;
  result: SendResult;
  attemptNumber: number;
  maxAttempts: number;
  /** The delivery's status after this attempt: `delivering` while retries are left. */
  status: DeliveryStatus;
  /** The delay before the next attempt, or null when this one was the last. */
  delayMs: number | null;
  error: string | null;
  /** The attempt reported to the destination's health workflow (a final failure, or a success ending a streak). */
  reportedHealth: boolean;
}

export interface AttemptReporter {
  attempted(report: AttemptReport): void;
  /** A template that could not render: nothing was sent, and the delivery failed for good. */
  templateFailed(row: AttemptSubject, error: string): void;
}

/** Origin and path: enough to tell which endpoint, never a credential that a query string or userinfo may carry. */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** The workflow that made the attempt: the event workflow for an inline first attempt, else the delivery's own. */
function workflowIdOf(row: AttemptSubject): string {
  return Context.current().info.workflowExecution?.workflowId ?? deliveryWorkflowId(row.delivery_id);
}

function ids(row: AttemptSubject) {
  return {
    delivery_id: row.delivery_id,
    event_id: row.event_id,
    event_type: row.event_type,
    destination_id: row.destination_id,
    destination_name: row.name,
    workspace_id: row.workspace_id,
    workflow_id: workflowIdOf(row),
    ...(row.is_test ? { test: true } : {}),
  };
}

function healthSignalOf(report: AttemptReport): HealthSignalKind {
  if (report.result.kind === 'response' && report.result.status === 410) return 'gone';
  return report.status === 'succeeded' ? 'recovery' : 'failure';
}

function headline(report: AttemptReport, outcome: OutcomeClass, nextAttemptAt: Date | null): string {
  const answer = report.result.kind === 'response' ? String(report.result.status) : outcome;
  const next = nextAttemptAt ? `, next at ${nextAttemptAt.toISOString()}` : report.status === 'failed' ? ', failed for good' : '';
  return `${report.row.event_type} → ${report.row.name}: ${answer} in ${report.result.durationMs} ms (attempt ${report.attemptNumber} of ${report.maxAttempts}${next})`;
}

export function createAttemptReporter(deps: { logger: Logger; metrics?: WorkerMetrics; now: () => Date }): AttemptReporter {
  const { logger, metrics } = deps;

  const countFinal = (row: AttemptSubject, status: DeliveryStatus) => {
    // Test sends and recovery probes are people checking a destination, not traffic: they would skew the success rate.
    if (!metrics || row.is_test || (status !== 'succeeded' && status !== 'failed')) return;
    metrics.deliveries.inc({ status });
    if (status === 'succeeded') metrics.deliveryLatency.observe(Math.max(0, deps.now().getTime() - row.received_at.getTime()) / 1000);
  };

  return {
    attempted(report) {
      const outcome = outcomeClassOf(report.result.kind === 'response' ? report.result : { kind: 'error', error: report.result.error });
      if (metrics) {
        metrics.attempts.inc({ outcome });
        metrics.attemptDuration.observe({ outcome }, report.result.durationMs / 1000);
        if (report.reportedHealth) metrics.healthSignals.inc({ kind: healthSignalOf(report) });
      }
      countFinal(report.row, report.status);
      const nextAttemptAt = report.delayMs === null ? null : new Date(deps.now().getTime() + report.delayMs);
      const line = {
        ...ids(report.row),
        attempt: report.attemptNumber,
        max_attempts: report.maxAttempts,
        method: report.row.method,
        url: loggableUrl(report.url),
        status_code: report.result.kind === 'response' ? report.result.status : null,
        duration_ms: report.result.durationMs,
        outcome,
        delivery_status: report.status,
        next_attempt_at: nextAttemptAt?.toISOString() ?? null,
        ...(report.error ? { error: report.error } : {}),
      };
      if (report.status === 'failed') logger.warn(line, headline(report, outcome, nextAttemptAt));
      else logger.info(line, headline(report, outcome, nextAttemptAt));
    },

    templateFailed(row, error) {
      metrics?.attempts.inc({ outcome: 'template' });
      countFinal(row, 'failed');
      logger.warn(
        { ...ids(row), outcome: 'template', delivery_status: 'failed', error },
        `${row.event_type} → ${row.name}: template error, nothing sent (failed for good)`,
      );
    },
  };
}
