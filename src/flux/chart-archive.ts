import { gunzipSync } from 'node:zlib';

/** Bounds on an untrusted chart archive. */
export interface ChartArchiveLimits {
  readonly maxBytes: number;
  readonly maxFiles: number;
}

export const DefaultChartArchiveLimits: ChartArchiveLimits = { maxBytes: 64 * 1024 * 1024, maxFiles: 10_000 };

export interface ChartFile {
  /** Path inside the chart, without the archive's top folder, `/`-separated. */
  readonly path: string;
  readonly content: Buffer;
}

function text(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/**
 * Reads a packaged chart (`.tgz`) with readTarGz: the archive's top folder (the chart name) is
 * stripped and Chart.yaml must be there. Pure.
 */
export function readChartArchive(
  tgz: Buffer,
  limits: ChartArchiveLimits = DefaultChartArchiveLimits,
): ChartFile[] {
  const files = readTarGz(tgz, limits, 1);
  if (!files.some((f) => f.path === 'Chart.yaml'))
    throw new Error('chart archive: Chart.yaml file is missing');
  return files;
}

/**
 * Reads an untrusted `.tar.gz` (a chart, an OCI artifact layer): regular files only (links and
 * devices are skipped, as Helm's loader and Flux's untar do), no absolute paths or `..`, PAX/GNU
 * long names honoured, within `limits`; `strip` leading folders are removed. Pure.
 */
export function readTarGz(tgz: Buffer, limits: ChartArchiveLimits, strip: number): ChartFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: limits.maxBytes });
  } catch (err) {
    throw new Error(`chart archive: ${(err as Error).message}`);
  }
  const files: ChartFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error('chart archive: invalid header');
    const type = String.fromCharCode(header[156] ?? 48);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = text(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0') continue;
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (name.startsWith('/') || parts.includes('..'))
      throw new Error(`chart archive: illegal path '${name}'`);
    if (parts.length <= strip) continue;
    files.push({ path: parts.slice(strip).join('/'), content: Buffer.from(body) });
    if (files.length > limits.maxFiles) throw new Error(`chart archive: more than ${limits.maxFiles} files`);
  }
  return files;
}
