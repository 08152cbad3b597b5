// The patch ledger of the long-lived workflows: every patch id in use, its stage, and what lets it advance (docs/versioning.md).

/**
 * A delivery that failed for good closes as Failed at once (the Temporal UI tells the truth), and a manual retry starts
 * a fresh run with signal-with-start; delivery workflows started without it wait out their retry window instead.
 * Stage: patched. Advances to deprecatePatch once no open delivery workflow predates it (query in docs/versioning.md).
 */
export const CLOSE_WHEN_FAILED = 'close-when-failed';

/**
 * An attempt that PostgreSQL's absence kept from recording resumes the schedule where it stood, instead of failing
 * the delivery. Stage: patched. Advances as CLOSE_WHEN_FAILED does.
 */
export const RESUME_WHEN_UNSENT = 'resume-when-unsent';

/**
 * A delivery the destination's rate limit, concurrency cap or push-back kept from going sleeps until its turn (a
 * timer) and tries again at the same schedule position, instead of failing. Behind an earlier delivery of its ordered lane
 * it waits the same way, the lane's signal ending the timer early (the same commands: a timer, and its cancellation).
 * Stage: patched. Advances as CLOSE_WHEN_FAILED does.
 */
export const WAIT_FOR_TURN = 'wait-for-turn';

/** Every patch id workflow code may pass to patched() or deprecatePatch(); a spec holds code, ledger and docs equal. */
export const PATCH_LEDGER = [
  { id: CLOSE_WHEN_FAILED, workflow: 'deliveryWorkflow', stage: 'patched' },
  { id: RESUME_WHEN_UNSENT, workflow: 'deliveryWorkflow', stage: 'patched' },
  { id: WAIT_FOR_TURN, workflow: 'deliveryWorkflow', stage: 'patched' },
] as const;
