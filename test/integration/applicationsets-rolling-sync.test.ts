import { FLEET_REGIONS } from '../support/fleet/regions.js';
import { describeRollingSync } from '../support/fleet/rolling-sync-scenario.js';
import { testClient } from '../support/kube.js';

// Issue 17's RollingSync acceptance (test/support/fleet/rolling-sync-scenario.ts) with the three regions
// as three destinations in the test's namespace of the shared cluster: one `slipway controller` (every
// module, --namespace) runs everything, and is SIGKILLed and SIGTERMed in the middle of the progression
// and carries on. applicationsets-rolling-sync-clusters.test.ts runs the same scenario across three
// registered clusters.

describeRollingSync({
  title: 'applicationsets: RollingSync region by region, each gated by its Rollout analysis',
  slug: 'rolling-sync',
  restartCentral: true,
  async place({ namespace }) {
    const client = testClient();
    return {
      regions: FLEET_REGIONS.map((r) => ({
        ...r,
        server: 'https://kubernetes.default.svc',
        namespace,
        client,
      })),
      workloadControllers: [],
      logs: [],
      async dispose() {
        client.close();
      },
    };
  },
});
