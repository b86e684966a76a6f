// `npm run build`: writes the dashboard's bundle to dist/dashboard-ui/.
import { BUILT_ASSETS_DIR, bundleDashboardUi } from './ui-bundle.js';

const assets = await bundleDashboardUi(BUILT_ASSETS_DIR);
process.stdout.write(
  `dashboard assets: ${BUILT_ASSETS_DIR} (app.js ${assets['app.js'].length} B, app.css ${assets['app.css'].length} B)\n`,
);
