import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync as gunzip } from 'node:zlib';
import { FLUX_CONTENT_MEDIA_TYPE } from '../../../src/flux/index.js';

const REGISTRY_BIN = process.env.SLIPWAY_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const address = s.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function spawnRegistry(dir: string): ChildProcess {
  return spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * A real OCI registry (Debian's `docker-registry`, distribution v2) on a free loopback port with a
 * temp storage dir, plus a small client that pushes artifacts as `flux push artifact` lays them out
 * (an OCI manifest, Flux's config media type, one `tar+gzip` content layer).
 */
export class OciRegistry {
  private constructor(
    private proc: ChildProcess,
    private readonly dir: string,
    readonly host: string,
  ) {}

  static available(): boolean {
    return existsSync(REGISTRY_BIN);
  }

  static async start(): Promise<OciRegistry> {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'config.yml'),
      [
        'version: 0.1',
        'log: {level: error, accesslog: {disabled: true}}',
        `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
        `http: {addr: "${host}"}`,
        '',
      ].join('\n'),
    );
    const proc = spawnRegistry(dir);
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const registry = new OciRegistry(proc, dir, host);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`http://${host}/v2/`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (proc.exitCode !== null || Date.now() > deadline) {
        await registry.stop();
        throw new Error(`docker-registry did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return registry;
  }

  private async putBlob(repo: string, blob: Buffer): Promise<string> {
    const digest = sha256(blob);
    const start = await fetch(`http://${this.host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', `http://${this.host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      body: blob,
      headers: { 'content-type': 'application/octet-stream' },
    });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
    return digest;
  }

  /** Pushes `files` as a Flux artifact `repo:tag`; returns the manifest digest. */
  async pushArtifact(repo: string, tag: string, files: Readonly<Record<string, string>>): Promise<string> {
    const work = mkdtempSync(join(tmpdir(), 'slipway-artifact-'));
    try {
      const src = join(work, 'src');
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(dirname(join(src, p)), { recursive: true });
        writeFileSync(join(src, p), text);
      }
      execFileSync('tar', ['-czf', join(work, 'layer.tgz'), '-C', src, '.']);
      const layer = readFileSync(join(work, 'layer.tgz'));
      const config = Buffer.from('{}');
      const layerDigest = await this.putBlob(repo, layer);
      const configDigest = await this.putBlob(repo, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: {
            mediaType: 'application/vnd.cncf.flux.config.v1+json',
            digest: configDigest,
            size: config.length,
          },
          layers: [{ mediaType: FLUX_CONTENT_MEDIA_TYPE, digest: layerDigest, size: layer.length }],
          annotations: { 'org.opencontainers.image.revision': tag },
        }),
      );
      const res = await fetch(`http://${this.host}/v2/${repo}/manifests/${tag}`, {
        method: 'PUT',
        body: manifest,
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
      if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
      return sha256(manifest);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /**
   * Pushes a tiny container image `repo:tag` (an OCI image manifest, an image config and one gzip
   * layer holding /tag.txt); every tag gets its own content, so its own digest. Returns the digest.
   */
  async pushImage(repo: string, tag: string): Promise<string> {
    const work = mkdtempSync(join(tmpdir(), 'slipway-image-'));
    try {
      mkdirSync(join(work, 'root'));
      writeFileSync(join(work, 'root', 'tag.txt'), `${repo}:${tag}\n`);
      execFileSync('tar', ['-czf', join(work, 'layer.tgz'), '-C', join(work, 'root'), '.']);
      const layer = readFileSync(join(work, 'layer.tgz'));
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          config: { Labels: { tag } },
          rootfs: { type: 'layers', diff_ids: [sha256(gunzip(layer))] },
        }),
      );
      const layerDigest = await this.putBlob(repo, layer);
      const configDigest = await this.putBlob(repo, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: configDigest,
            size: config.length,
          },
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
              digest: layerDigest,
              size: layer.length,
            },
          ],
        }),
      );
      const res = await fetch(`http://${this.host}/v2/${repo}/manifests/${tag}`, {
        method: 'PUT',
        body: manifest,
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
      if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
      return sha256(manifest);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Stops the registry process but keeps its storage and address, so `resume()` brings the same content back. */
  async pause(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }

  /** Starts the registry again on the same address and storage after `pause()`. */
  async resume(): Promise<void> {
    this.proc = spawnRegistry(this.dir);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`http://${this.host}/v2/`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('docker-registry did not start again');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
