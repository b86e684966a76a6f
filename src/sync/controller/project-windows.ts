import type { Reflector } from '../../kube/index.js';
import type { Application, AppProject, SyncWindow } from '../types.js';
import { matchingWindows } from '../windows/index.js';

/** The sync windows of an app's AppProject that match the app (none when the project is missing). */
export interface ProjectWindows {
  windowsFor(app: Application): readonly SyncWindow[];
}

/** Reads AppProjects from an informer: the app's `spec.project` (default `default`) in its namespace. */
export class InformerProjectWindows implements ProjectWindows {
  constructor(private readonly projects: Reflector<AppProject>) {}

  windowsFor(app: Application): readonly SyncWindow[] {
    const name = app.spec.project || 'default';
    const project = this.projects.store.get(`${app.metadata.namespace ?? ''}/${name}`);
    const windows = project?.spec?.syncWindows;
    if (!windows || windows.length === 0) return [];
    return matchingWindows(windows, { name: app.metadata.name ?? '', destination: app.spec.destination });
  }
}
