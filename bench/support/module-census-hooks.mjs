// Module hooks for bench/support/memory-probe.mjs: tells the main thread each module URL loaded.
let port;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  port?.postMessage(url);
  return nextLoad(url, context);
}
