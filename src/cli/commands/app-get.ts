import { type Command, ExitCode, stringOption } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { printObject } from '../output.js';
import { APP_OPTIONS, appRef, getApp, short } from './app-common.js';

export const appGetCommand: Command = {
  path: ['app', 'get'],
  summary: 'Show an Application: sync and health status, conditions, resources, last operation',
  usage: 'NAME',
  options: {
    ...APP_OPTIONS,
    output: { type: 'string', short: 'o', description: 'text, json or yaml', default: 'text' },
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const app = await getApp(client, appRef(args));
      const format = stringOption(args, 'output');
      if (format !== 'text') {
        printObject(app, format);
        return ExitCode.Ok;
      }
      const s = app.status ?? {};
      const lines = [
        `Name:          ${app.metadata.namespace}/${app.metadata.name}`,
        `Repo:          ${app.spec.source?.repoURL ?? '-'}`,
        `Target:        ${app.spec.source?.targetRevision ?? 'HEAD'}`,
        `Path:          ${app.spec.source?.path ?? '.'}`,
        `Sync Status:   ${s.sync?.status ?? 'Unknown'} (${short(s.sync?.revision)})`,
        `Health Status: ${s.health?.status ?? 'Unknown'}${s.health?.message ? ` (${s.health.message})` : ''}`,
      ];
      if (s.operationState)
        lines.push(`Operation:     ${s.operationState.phase}: ${s.operationState.message ?? ''}`);
      for (const c of s.conditions ?? []) lines.push(`Condition:     ${c.type}: ${c.message}`);
      lines.push('', 'GROUP  KIND  NAMESPACE  NAME  STATUS  HEALTH');
      for (const r of s.resources ?? []) {
        lines.push(
          [
            r.group || '-',
            r.kind,
            r.namespace || '-',
            r.name,
            `${r.status ?? ''}${r.requiresPruning ? ' (requires pruning)' : ''}`,
            r.health?.status ?? '',
          ].join('  '),
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
