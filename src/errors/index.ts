export { hasErrorCode, SlipwayError } from './slipway-error.js';
