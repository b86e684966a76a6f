import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  DesiredStateCache,
  diffApplication,
  RepoCache,
  ResourceManager,
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
      const diff = await diffApplication(
        {
          client,
          repos,
          desired: new DesiredStateCache({ client, repos, workDir: dir }),
          rm: new ResourceManager(client),
        },
        app,
      );
      let differs = false;
      for (const r of diff.resources) {
        if (r.inSync) continue;
        differs = true;
        process.stdout.write(`===== ${r.key} ======\n`);
        process.stdout.write(
          unifiedDiff(
            r.live ? stringify(r.live) : '',
            stringify(r.desired),
            `live/${r.key}`,
            `desired/${r.key}`,
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
