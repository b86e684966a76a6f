import { booleanOption, type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { progress } from '../output.js';
import { APP_OPTIONS, appRef, patchApp } from './app-common.js';

export const appRefreshCommand: Command = {
  path: ['app', 'refresh'],
  summary: 'Re-read Git and compare now (sets argocd.argoproj.io/refresh, as Argo CD)',
  usage: 'NAME',
  options: { ...APP_OPTIONS, hard: { type: 'boolean', description: 'also re-render (no manifest cache)' } },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const ref = appRef(args);
      await patchApp(client, ref, {
        metadata: {
          annotations: { 'argocd.argoproj.io/refresh': booleanOption(args, 'hard') ? 'hard' : 'normal' },
        },
      });
      progress(`refresh of ${ref.namespace}/${ref.name} requested`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
