export { aggregateHealth, assessHealth, isWorseHealth, type NamedHealth } from './assess.js';
