export { ensureFluxCli, FLUX_CLI_VERSION, fluxCliPath } from './flux-cli.js';
