#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('pipetune: not built yet; run `npm run build` in the pipetune folder\n');
  process.exit(2);
}
// Node >= 22.1 keeps compiled bytecode of our modules between runs (a no-op where it does not exist).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import(main.href);
