import { readFileSync } from 'node:fs';
import { ControlPlaneVersions } from '../../dev/cluster/binaries.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { printObject } from '../output.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const versionCommand: Command = {
  path: ['version'],
  summary: 'Print the Slipway version and the versions of the local control plane it builds',
  options: {
    output: { type: 'string', short: 'o', description: 'output format: text, json or yaml', default: 'text' },
  },
  async run(args) {
    const info = { slipway: pkg.version, node: process.version, localControlPlane: ControlPlaneVersions };
    const format = stringOption(args, 'output');
    if (format === 'text') {
      process.stdout.write(`slipway ${info.slipway} (node ${info.node})\n`);
      process.stdout.write(
        `local control plane: kubernetes ${ControlPlaneVersions.kubernetes}, etcd ${ControlPlaneVersions.etcd}, kwok ${ControlPlaneVersions.kwok}\n`,
      );
    } else printObject(info, format);
    return ExitCode.Ok;
  },
};
