// The workflows the worker registers; bundled by the Temporal SDK, so only deterministic code belongs here.
export { deliveryWorkflow } from './delivery.workflow';
export { destinationHealthWorkflow } from './destination-health.workflow';
export { deliverEventWorkflow } from './event.workflow';
export { purgeExpiredWorkflow } from './purge.workflow';
export { eraseSubjectWorkflow } from './erasure.workflow';
