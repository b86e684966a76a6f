import { isNotFound, type KubeClient } from '../../kube/index.js';
import {
  type Application,
  type AppProject,
  appSources,
  isMultiSource,
  matchingWindows,
  type SyncWindow,
  syncWindowState,
} from '../../sync/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { printObject } from '../output.js';
import { APP_OPTIONS, appRef, getApp, short } from './app-common.js';

/** The windows of the app's project that apply to it; none when the project cannot be read. */
async function appWindows(client: KubeClient, app: Application): Promise<readonly SyncWindow[]> {
  try {
    const project = await client.get<AppProject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      namespace: app.metadata.namespace ?? '',
      name: app.spec.project || 'default',
    });
    return matchingWindows(project.spec?.syncWindows, {
      name: app.metadata.name ?? '',
      destination: app.spec.destination,
    });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** `argocd app get`'s source lines, one block per source for multi-source apps. */
function sourceLines(app: Application): string[] {
  if (!isMultiSource(app)) {
    return [
      `Repo:          ${app.spec.source?.repoURL ?? '-'}`,
      `Target:        ${app.spec.source?.targetRevision ?? 'HEAD'}`,
      `Path:          ${app.spec.source?.path ?? '.'}`,
    ];
  }
  const revisions = app.status?.sync?.revisions ?? [];
  const lines = ['Sources:'];
  for (const [i, s] of appSources(app).entries()) {
    lines.push(
      `- Repo:        ${s.repoURL}`,
      `  Target:      ${s.targetRevision ?? 'HEAD'} (${short(revisions[i])})`,
      ...(s.path ? [`  Path:        ${s.path}`] : []),
      ...(s.ref ? [`  Ref:         ${s.ref}`] : []),
      ...(s.helm?.valueFiles?.length ? [`  Helm Values: ${s.helm.valueFiles.join(',')}`] : []),
    );
  }
  return lines;
}

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
      const windows = await appWindows(client, app);
      const revision = s.sync?.revision ?? (s.sync?.revisions ?? []).map((r) => short(r)).join(',');
      const lines = [
        `Name:          ${app.metadata.namespace}/${app.metadata.name}`,
        `Project:       ${app.spec.project || 'default'}`,
        ...sourceLines(app),
        `SyncWindow:    ${syncWindowState(windows, Date.now())}`,
        ...(windows.length > 0
          ? [`Assigned Windows: ${windows.map((w) => `${w.kind}:${w.schedule}:${w.duration}`).join(',')}`]
          : []),
        `Sync Status:   ${s.sync?.status ?? 'Unknown'} (${s.sync?.revision ? short(revision) : revision})`,
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
