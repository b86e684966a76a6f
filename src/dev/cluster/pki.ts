import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterCredentials {
  readonly adminToken: string;
  readonly tokenFile: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

/** Writes the static admin token file and the service-account signing key pair into `dir`. */
export function writeCredentials(dir: string): ClusterCredentials {
  const adminToken = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${adminToken},slipway-admin,slipway-admin,"system:masters"\n`, { mode: 0o600 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKey = join(dir, 'sa.key');
  const serviceAccountPub = join(dir, 'sa.pub');
  writeFileSync(serviceAccountKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(serviceAccountPub, publicKey.export({ type: 'spki', format: 'pem' }));
  return { adminToken, tokenFile, serviceAccountKey, serviceAccountPub };
}

/** A kubeconfig for the admin user. The CA is the API server's own generated serving bundle. */
export function kubeconfigYaml(server: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: slipway-dev',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${caFile}`,
    'users:',
    '- name: slipway-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: slipway-dev',
    '  context: {cluster: slipway-dev, user: slipway-admin}',
    'current-context: slipway-dev',
    '',
  ].join('\n');
}
