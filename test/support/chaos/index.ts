export { ControllerProcess, type ControllerRuntime, type RestartStats } from './controller-process.js';
export { type EndState, isClean } from './invariants.js';
export { compareNotifications, type LedgerResult, parseStepMessage } from './notification-ledger.js';
export { chaosSummary, formatChaosReport, isChaosClean } from './report.js';
export { type ChaosOptions, type ChaosReport, runChaos } from './scenario.js';
