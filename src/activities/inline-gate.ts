// How many events of one workspace may have inline first attempts in flight in this worker, so a slow tenant cannot hold every workflow task.
/*
 * An event's inline attempts run inside its workflow task and hold that task's slot until the receivers answer.
 * A workspace flooding events at a slow receiver would otherwise take every slot, and every other workspace's
 * events would wait behind it. The share counts events (slots), not attempts: a fan-out event's attempts all run
 * in its one task. Past its share, a workspace's attempt goes to a delivery workflow at once (an ordinary
 * activity, off the workflow-task slots): it costs that event a workflow more, and costs no one else anything.
 */
export class InlineAttemptGate {
  /** Per workspace: the events (by workflow id) with attempts in flight, and how many each has. */
  private readonly inFlight = new Map<string, Map<string, number>>();

  constructor(private readonly eventsPerWorkspace: number) {}

  /** True, and counted, when the event already holds its slot or the workspace is under its share; then call `leave`. */
  tryEnter(workspaceId: string, eventWorkflowId: string): boolean {
    const events = this.inFlight.get(workspaceId) ?? new Map<string, number>();
    const attempts = events.get(eventWorkflowId);
    if (attempts === undefined && events.size >= this.eventsPerWorkspace) return false;
    events.set(eventWorkflowId, (attempts ?? 0) + 1);
    this.inFlight.set(workspaceId, events);
    return true;
  }

  leave(workspaceId: string, eventWorkflowId: string): void {
    const events = this.inFlight.get(workspaceId);
    const attempts = events?.get(eventWorkflowId);
    if (!events || attempts === undefined) return;
    if (attempts > 1) events.set(eventWorkflowId, attempts - 1);
    else events.delete(eventWorkflowId);
    if (events.size === 0) this.inFlight.delete(workspaceId);
  }
}
