import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { packageRoot } from '../paths.js';

/** Written by `npm run build` so workers start without running webpack each time. */
const BUNDLE_FILE = path.join(packageRoot(), 'dist', 'workflow-bundle.js');

function workflowsPath(): string {
  return path.join(packageRoot(), 'dist', 'src', 'workflows', 'index.js');
}

/** The prebuilt workflow bundle, or a fresh one when the build did not make it. */
export async function workflowBundle(): Promise<WorkflowBundle> {
  if (existsSync(BUNDLE_FILE)) return { code: await readFile(BUNDLE_FILE, 'utf8') };
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    process.stderr.write(`pipetune: workflow bundler: ${message}\n`);
  },
  error(message: string) {
    process.stderr.write(`pipetune: workflow bundler: ${message}\n`);
  },
};

/** Build step: `node dist/src/worker/bundle.js` writes the bundle file. */
if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.join(packageRoot(), 'dist', 'src', 'worker', 'bundle.js')
) {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  await writeFile(BUNDLE_FILE, code);
}
