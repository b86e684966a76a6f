import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FluxListObject,
  fluxGetKinds,
  fluxHeaders,
  fluxRow,
  formatFluxTable,
  formatLocalRfc3339,
  matchesStatusSelector,
  parseStatusSelector,
  truncateHex,
} from '../../../src/cli/flux-view/index.js';

const sha = '5b9f3c1f2a8d4e6f7a8b9c0d1e2f3a4b5c6d7e8f';
const ks = (
  name: string,
  status: FluxListObject['status'],
  spec: FluxListObject['spec'] = {},
): FluxListObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'flux-system' },
  spec,
  status,
});
const rowOptions = { allNamespaces: false, withKind: false, showSource: false, formatTime: () => '' };

describe('flux get: table text as flux v2.9.5 prints it', () => {
  it('pads every cell to its column and ends it with a tab; the header ends with a space', () => {
    const out = formatFluxTable(
      ['Name', 'Revision', 'Ready'],
      [
        ['apps', 'main@sha1:5b9f3c1f', 'True'],
        ['infrastructure', '', 'False'],
      ],
    );
    assert.equal(
      out,
      'NAME          \tREVISION          \tREADY \n' +
        'apps          \tmain@sha1:5b9f3c1f\tTrue \t\n' +
        'infrastructure\t                  \tFalse\t\n',
    );
  });

  it('spreads a multi-line message over lines, blanks in the other cells', () => {
    const out = formatFluxTable(['Name', 'Message'], [['a', 'one\ntwo']]);
    assert.equal(out, 'NAME\tMESSAGE \na   \tone    \t\n    \ttwo    \t\n');
  });

  it('prints no header line with --no-header; upper-cases two-word headers', () => {
    assert.equal(formatFluxTable(undefined, [['a', 'b']]), 'a\tb\t\n');
    assert.equal(formatFluxTable(['Name', 'Last scan'], []), 'NAME\tLAST SCAN \n');
  });

  it('truncates 40-128 character hex runs to 8 characters', () => {
    assert.equal(truncateHex(`Applied revision: main@sha1:${sha}`), 'Applied revision: main@sha1:5b9f3c1f');
    assert.equal(truncateHex('sha256:abc'), 'sha256:abc');
    assert.equal(truncateHex(`sha256:${'a'.repeat(64)}`), 'sha256:aaaaaaaa');
  });
});

describe('flux get: columns from status', () => {
  it('Kustomization: last applied revision, Suspended title-cased, Ready and its message', () => {
    const o = ks(
      'apps',
      {
        lastAppliedRevision: `main@sha1:${sha}`,
        conditions: [{ type: 'Ready', status: 'True', message: `Applied revision: main@sha1:${sha}` }],
      },
      { suspend: true, sourceRef: { kind: 'GitRepository', name: 'repo' } },
    );
    assert.deepEqual(fluxRow(fluxGetKinds.Kustomization, o, rowOptions), [
      'apps',
      'main@sha1:5b9f3c1f',
      'True',
      'True',
      'Applied revision: main@sha1:5b9f3c1f',
    ]);
    assert.deepEqual(
      fluxRow(fluxGetKinds.Kustomization, o, {
        ...rowOptions,
        allNamespaces: true,
        withKind: true,
        showSource: true,
      }),
      [
        'flux-system',
        'kustomization/apps',
        'GitRepository/flux-system/repo',
        'main@sha1:5b9f3c1f',
        'True',
        'True',
        'Applied revision: main@sha1:5b9f3c1f',
      ],
    );
    assert.deepEqual(fluxHeaders(fluxGetKinds.Kustomization, { allNamespaces: true, showSource: true }), [
      'Namespace',
      'Name',
      'Source',
      'Revision',
      'Suspended',
      'Ready',
      'Message',
    ]);
  });

  it('an object without Ready is False, "waiting to be reconciled"', () => {
    assert.deepEqual(fluxRow(fluxGetKinds.GitRepository, ks('repo', {}), rowOptions), [
      'repo',
      '',
      'False',
      'False',
      'waiting to be reconciled',
    ]);
  });

  it('HelmRelease: the newest history snapshot chart version, else the last attempted revision', () => {
    const hr = (status: FluxListObject['status']) => ({ ...ks('hello', status), kind: 'HelmRelease' });
    assert.equal(
      fluxRow(
        fluxGetKinds.HelmRelease,
        hr({
          history: [{ chartVersion: '0.2.0' }, { chartVersion: '0.1.0' }],
          lastAttemptedRevision: '0.3.0',
        }),
        rowOptions,
      )[1],
      '0.2.0',
    );
    assert.equal(
      fluxRow(fluxGetKinds.HelmRelease, hr({ lastAttemptedRevision: '0.3.0' }), rowOptions)[1],
      '0.3.0',
    );
  });

  it('HelmRepository of type oci is always Ready', () => {
    const o = { ...ks('oci', {}, { type: 'oci' }), kind: 'HelmRepository' };
    assert.deepEqual(fluxRow(fluxGetKinds.HelmRepository, o, rowOptions).slice(3), [
      'True',
      'Helm repository is Ready',
    ]);
  });

  it('image kinds: scan and run times in the local zone, the latest ref', () => {
    const at = (iso: string | undefined) => formatLocalRfc3339(iso, () => 60);
    const repo = {
      ...ks('web', { lastScanResult: { scanTime: '2026-12-06T22:00:05Z' } }),
      kind: 'ImageRepository',
    };
    assert.equal(
      fluxRow(fluxGetKinds.ImageRepository, repo, { ...rowOptions, formatTime: at })[1],
      '2026-12-06T23:00:05+01:00',
    );
    const policy = { ...ks('web', { latestRef: { name: 'reg/web', tag: '1.2.5' } }), kind: 'ImagePolicy' };
    assert.deepEqual(fluxRow(fluxGetKinds.ImagePolicy, policy, rowOptions).slice(1, 3), ['reg/web', '1.2.5']);
    assert.equal(
      formatLocalRfc3339('2026-12-06T22:00:05.123Z', () => 0),
      '2026-12-06T22:00:05Z',
    );
    assert.equal(
      formatLocalRfc3339('2026-12-06T02:00:05Z', () => -330),
      '2026-12-05T20:30:05-05:30',
    );
  });
});

describe('flux get --status-selector', () => {
  const failed = ks('a', { conditions: [{ type: 'Ready', status: 'False' }] });
  const none = ks('b', {});
  it('matches the condition case-insensitively; != keeps objects without it', () => {
    const sel = parseStatusSelector('ready=false');
    assert.ok(!('error' in sel));
    assert.equal(matchesStatusSelector(failed, sel), true);
    assert.equal(matchesStatusSelector(none, sel), false);
    const neg = parseStatusSelector('Ready!=True');
    assert.ok(!('error' in neg));
    assert.equal(matchesStatusSelector(failed, neg), true);
    assert.equal(matchesStatusSelector(none, neg), true);
  });
  it('refuses a selector without = as flux does', () => {
    assert.deepEqual(parseStatusSelector('ready'), {
      error: 'expected status selector in type=status or type!=status format, but found: ready',
    });
  });
});
