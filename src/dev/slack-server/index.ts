export { clockOf, formatMessage } from './console-view.js';
export {
  type RunningSlackServer,
  SlackServer,
  SlackServerTimeoutError,
  startSlackServer,
} from './slack-server.js';
export type {
  SlackChannelSpec,
  SlackFailure,
  SlackMessage,
  SlackMessageMetadata,
  SlackRateViolation,
  SlackRequestRecord,
  SlackServerOptions,
} from './types.js';
