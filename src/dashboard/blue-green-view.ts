/**
 * The Rollout page's blue-green part: the active and preview Services with the ReplicaSet each points
 * at, and when the auto-promotion pause ends (Argo's rule: the `BlueGreenPause` start plus
 * `autoPromotionSeconds`, when auto-promotion is on). Pure: `now` is not needed, the page counts down.
 */
import type { RolloutObject } from '../cli/rollout-view/index.js';

export interface BlueGreenView {
  readonly activeService: string;
  readonly previewService: string;
  /** The pod-template hash each Service selects (status.blueGreen). */
  readonly activeSelector: string;
  readonly previewSelector: string;
  readonly autoPromotionEnabled: boolean;
  readonly autoPromotionSeconds: number;
  /** Epoch ms when the paused preview is promoted by itself; absent when nothing is counting down. */
  readonly promoteAt?: number;
  readonly scaleDownDelaySeconds: number;
  /** Paused, waiting for Promote (auto-promotion off, or its countdown). */
  readonly awaitingPromotion: boolean;
}

export function blueGreenView(rollout: RolloutObject): BlueGreenView | undefined {
  const bg = rollout.spec?.strategy?.blueGreen;
  if (bg === undefined) return undefined;
  const s = rollout.status ?? {};
  const autoPromotionEnabled = bg.autoPromotionEnabled !== false;
  const autoPromotionSeconds = bg.autoPromotionSeconds ?? 0;
  const pause = (s.pauseConditions ?? []).find((p) => p.reason === 'BlueGreenPause');
  const start = Date.parse(pause?.startTime ?? '');
  const promoteAt =
    autoPromotionEnabled && autoPromotionSeconds > 0 && !Number.isNaN(start)
      ? start + autoPromotionSeconds * 1000
      : undefined;
  return {
    activeService: bg.activeService ?? '',
    previewService: bg.previewService ?? '',
    activeSelector: s.blueGreen?.activeSelector ?? '',
    previewSelector: s.blueGreen?.previewSelector ?? '',
    autoPromotionEnabled,
    autoPromotionSeconds,
    ...(promoteAt !== undefined && { promoteAt }),
    scaleDownDelaySeconds: bg.scaleDownDelaySeconds ?? 30,
    awaitingPromotion: pause !== undefined,
  };
}
