// Memory of a reflector caching 10,000 ConfigMaps (managedFields stripped), against a real
// kube-apiserver started for the run. Prints MiB and one JSON line. Run with --expose-gc.
import { LocalCluster } from '../src/dev/cluster/index.js';
import { type KubeObject, Reflector } from '../src/kube/index.js';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const count = Number(args.get('--count') ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const cluster = await LocalCluster.start({ components: [] });
const client = cluster.client();
try {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        await client.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { namespace: 'bench', name: `cm-${i}`, labels: { app: `app-${i % 50}`, tier: 'bench' } },
          data: {
            'config.yaml': `replicas: ${i % 7}\nimage: registry.example.com/app:${i}\n`,
            owner: `team-${i % 9}`,
          },
        });
      }
    }),
  );
  const createSeconds = (Date.now() - started) / 1000;
  const before = heap();
  const reflector = new Reflector<KubeObject>(client, {
    gvk: { apiVersion: 'v1', kind: 'ConfigMap' },
    namespace: 'bench',
  });
  const syncStarted = Date.now();
  reflector.start();
  await reflector.waitForSync();
  const syncSeconds = (Date.now() - syncStarted) / 1000;
  const after = heap();
  const mib = (after - before) / 1024 / 1024;
  console.log(`created ${count.toLocaleString()} ConfigMaps in ${createSeconds.toFixed(1)} s`);
  console.log(
    `reflector listed and cached ${reflector.store.size.toLocaleString()} objects in ${syncSeconds.toFixed(2)} s`,
  );
  console.log(
    `cache memory: ${mib.toFixed(1)} MiB (${Math.round((after - before) / count)} bytes/object); process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`,
  );
  console.log(
    JSON.stringify({
      bench: 'reflector-memory',
      objects: reflector.store.size,
      cacheMiB: Number(mib.toFixed(1)),
      bytesPerObject: Math.round((after - before) / count),
      syncSeconds,
    }),
  );
  await reflector.stop();
} finally {
  client.close();
  await cluster.stop();
}
