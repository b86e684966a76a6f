export { createService, type ServiceDefaults } from './registry.js';
export { SlackService, type SlackServiceOptions, slackMetadataEventType } from './slack.js';
export { classifySlackError } from './slack-errors.js';
export type { LookupOutcome, NotificationService, SendOutcome, SendRequest } from './types.js';
export { WebhookService, type WebhookServiceOptions } from './webhook.js';
