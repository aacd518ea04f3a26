/** GPU worker: `node dist/workers/gpu.js --gpu N [--queue NAME] [--address HOST:PORT]` (PipeExec only). */
import { runCli } from '../src/cli/run.js';
import { runWorkerProcess } from '../src/worker/main.js';

runCli(() => runWorkerProcess(process.argv.slice(2)));
