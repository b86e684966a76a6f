export * from './apply/index.js';
export * from './controller/index.js';
export * from './diff/index.js';
export { SyncError, SyncErrorCode } from './errors.js';
export * from './health/index.js';
export * from './operation/index.js';
export * from './render/index.js';
export * from './source/index.js';
export * from './types.js';
