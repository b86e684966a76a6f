export {
  type ApplyObjectOptions,
  type Change,
  type ChangeAction,
  FIELD_MANAGER,
  ResourceManager,
} from './resource-manager.js';
