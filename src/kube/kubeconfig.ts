import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** Path to a kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, then in-cluster. */
  readonly kubeconfigPath?: string;
  /** Context to use. Default: the file's current-context. */
  readonly context?: string;
}

/** Loads a kubeconfig the way kubectl does (file, $KUBECONFIG, in-cluster service account). */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  return kc;
}

export type { KubeConfig };
