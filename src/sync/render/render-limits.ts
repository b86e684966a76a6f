import type { KubeObject } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';

/** What a renderer returns: the objects and the size of the text they were parsed from. */
export interface RenderOutput {
  readonly objects: KubeObject[];
  readonly bytes: number;
}

/** Size limits on what one render may read from a repository and from kustomize/helm. */
export interface RenderLimits {
  /** Largest manifest or values file read (checked with stat before reading). Default 10 MiB. */
  readonly maxFileBytes: number;
  /**
   * Largest render: the sum of a directory app's files, or kustomize/helm output (the tool is
   * killed once it prints more). Default 20 MiB, above Argo CD's 10M directory limit so the larger
   * CRD bundles still render.
   */
  readonly maxRenderBytes: number;
}

export const DefaultRenderLimits: RenderLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxRenderBytes: 20 * 1024 * 1024,
};

export const RenderLimitEnv = {
  maxFileBytes: 'SLIPWAY_MAX_MANIFEST_FILE_BYTES',
  maxRenderBytes: 'SLIPWAY_MAX_RENDER_BYTES',
} as const;

export interface RenderLimitsFromEnv {
  readonly limits: RenderLimits;
  /** Variables that were set but not a positive whole number of bytes (their default is used). */
  readonly invalid: readonly string[];
}

/** Reads the limits from `SLIPWAY_MAX_MANIFEST_FILE_BYTES` / `SLIPWAY_MAX_RENDER_BYTES` (bytes). */
export function renderLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): RenderLimitsFromEnv {
  const invalid: string[] = [];
  const read = (key: keyof RenderLimits): number => {
    const name = RenderLimitEnv[key];
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return DefaultRenderLimits[key];
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n <= 0) {
      invalid.push(name);
      return DefaultRenderLimits[key];
    }
    return n;
  };
  return { limits: { maxFileBytes: read('maxFileBytes'), maxRenderBytes: read('maxRenderBytes') }, invalid };
}

export function fileTooLargeError(file: string, size: number, limits: RenderLimits): SyncError {
  return new SyncError(
    SyncErrorCode.RenderTooLarge,
    `${file} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit per file (${RenderLimitEnv.maxFileBytes})`,
  );
}

export function renderTooLargeError(what: string, limits: RenderLimits): SyncError {
  return new SyncError(
    SyncErrorCode.RenderTooLarge,
    `${what} produced more than the ${limits.maxRenderBytes}-byte render limit (${RenderLimitEnv.maxRenderBytes})`,
  );
}

/** Counts bytes read by one render against `maxRenderBytes`. */
export class RenderBudget {
  private used = 0;

  /** Bytes taken so far. */
  get bytes(): number {
    return this.used;
  }

  constructor(
    readonly limits: RenderLimits,
    private readonly what: string,
  ) {}

  /** Records `bytes` more; throws once the render would exceed its limit. */
  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limits.maxRenderBytes) throw renderTooLargeError(this.what, this.limits);
  }
}
