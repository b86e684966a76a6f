#!/usr/bin/env node
// A clone runs the TypeScript sources through tsx's loader (no build step); a package or image that
// ships only the compiled `dist/` (npm run build) runs that with plain Node: less memory, no loader.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import(new URL('../dist/cli/main.js', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
