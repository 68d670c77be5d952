// libs/messaging: the RabbitMQ transport (topology, confirms, outbox, inbox, retry, dead letters).
export * from './options.js';
export * from './errors.js';
export * from './runtime.js';
export * from './metrics.js';
export { HandlerContext, MessageContext } from './consumer/message-context.js';
export { OwnTransactionContext, LeaseHeld, LeaseLost, type OwnTransactions } from './consumer/own-transactions.js';
export type { HandlerBinding } from './consumer/handler-binding.js';
export {
  reportableFailure,
  type FailureHook,
  type FailureNote,
  type FailureReport,
} from './consumer/failure-report.js';
export { isControlQueue, type AdmissionHook, type AdmissionRequest, type Admitted } from './consumer/admission.js';
export { Semaphore } from './consumer/semaphore.js';
export { H as FailureHeaders } from './consumer/failure-headers.js';
export { parkedAtOf, type ParkedMessage, type ParkedRemoval } from './admin/parked-messages.js';
export * from './retention/retention-bounds.js';
export {
  MessageRetention,
  type MessageRetentionDeps,
  type MessageRetentionRun,
  type RetentionLog,
} from './retention/message-retention.js';
export { messageRetentionOf, registerRetention, retentionQueueOf } from './retention/retention-handler.js';
export { MessagingTables1732000000000 } from './migrations/messaging-tables.migration.js';
export { MessagingLeases1764700000000 } from './migrations/messaging-leases.migration.js';
export { parkedQueueName, retryQueueName } from './transport/topology.js';
export * from './nest/index.js';
export * from './access/broker-definitions.js';
export { brokerPasswordVariable, definitionsFromEnv } from './access/definitions-from-env.js';
