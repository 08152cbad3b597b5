// How many inline first attempts one workspace may have in flight in this worker, so a slow tenant cannot hold every workflow task.
/*
 * An inline attempt runs inside its event's workflow task and holds that task's slot until the receiver answers.
 * A workspace flooding events at a slow receiver would otherwise take every slot, and every other workspace's
 * events would wait behind it. Past its share, a workspace's attempt goes to a delivery workflow at once (an
 * ordinary activity, off the workflow-task slots): it costs that event a workflow more, and costs no one else anything.
 */
export class InlineAttemptGate {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perWorkspace: number) {}

  /** True, and counted, when the workspace is under its share; call `leave` when the attempt ends. */
  tryEnter(workspaceId: string): boolean {
    const current = this.inFlight.get(workspaceId) ?? 0;
    if (current >= this.perWorkspace) return false;
    this.inFlight.set(workspaceId, current + 1);
    return true;
  }

  leave(workspaceId: string): void {
    const current = this.inFlight.get(workspaceId) ?? 0;
    if (current <= 1) this.inFlight.delete(workspaceId);
    else this.inFlight.set(workspaceId, current - 1);
  }
}
