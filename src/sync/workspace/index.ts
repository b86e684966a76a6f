export {
  currentProcessOwner,
  isOwnerAlive,
  ownerToken,
  type ProcessOwner,
  type ProcessProbe,
  parseOwnerToken,
  systemProcessProbe,
} from './process-owner.js';
export { type DirFamily, isAbandoned, type ReapOptions, reapAbandonedDirs } from './reaper.js';
export { scratchRoot, useScratchRoot } from './scratch.js';
export { openWorkspace, type Workspace, type WorkspaceOptions } from './workspace.js';
