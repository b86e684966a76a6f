import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isNotFound, type KubeObject } from '../../kube/index.js';
import {
  appSources,
  compareResource,
  DesiredStateCache,
  hookTypes,
  RepoCache,
  ResourceManager,
  resourceKey,
  SecretCredentialSource,
  unifiedDiff,
} from '../../sync/index.js';
import { type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { APP_OPTIONS, appRef, getApp } from './app-common.js';

export const appDiffCommand: Command = {
  path: ['app', 'diff'],
  summary: 'Show what a sync would change, as a unified diff (exit 1 when there is a difference)',
  usage: 'NAME',
  options: APP_OPTIONS,
  async run(args) {
    const client = clientFromArgs(args);
    const dir = mkdtempSync(join(tmpdir(), 'slipway-diff-'));
    try {
      const ref = appRef(args);
      const app = await getApp(client, ref);
      const repos = new RepoCache({ dir, credentials: new SecretCredentialSource(client, ref.namespace) });
      const shas = await Promise.all(
        appSources(app).map((s) => repos.resolve(s.repoURL, s.targetRevision, 0)),
      );
      const desired = await new DesiredStateCache({ client, repos, workDir: dir }).load(app, shas);
      const rm = new ResourceManager(client);
      let differs = false;
      for (const d of desired.objects) {
        if (hookTypes(d).length > 0) continue;
        const ns = d.metadata.namespace;
        let live: KubeObject | undefined;
        try {
          live = await client.get({
            apiVersion: d.apiVersion ?? '',
            kind: d.kind ?? '',
            name: d.metadata.name ?? '',
            ...(ns && { namespace: ns }),
          });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        const predicted = await rm.predict(d).catch(() => d);
        const diff = compareResource(predicted, live, app.spec.ignoreDifferences);
        if (diff.inSync) continue;
        differs = true;
        const key = resourceKey(d);
        process.stdout.write(`===== ${key} ======\n`);
        process.stdout.write(
          unifiedDiff(
            diff.live ? stringify(diff.live) : '',
            diff.predicted ? stringify(diff.predicted) : stringify(d),
            `live/${key}`,
            `desired/${key}`,
          ),
        );
      }
      return differs ? ExitCode.Failure : ExitCode.Ok;
    } finally {
      rmSync(dir, { recursive: true, force: true });
      client.close();
    }
  },
};
