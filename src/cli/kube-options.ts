import { KubeClient } from '../kube/index.js';
import { type ParsedArgs, stringOption } from './command.js';

/** The client for --kubeconfig/--context (or the defaults kubectl uses). */
export function clientFromArgs(args: ParsedArgs): KubeClient {
  const kubeconfigPath = stringOption(args, 'kubeconfig');
  const context = stringOption(args, 'context');
  return KubeClient.fromKubeConfig({
    ...(kubeconfigPath !== undefined && { kubeconfigPath }),
    ...(context !== undefined && { context }),
  });
}
