export * from './conditions.js';
export * from './duration.js';
export * from './phase.js';
export * from './replicas.js';
export * from './steps.js';
export type * from './types.js';
export * from './validation.js';
