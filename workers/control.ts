/** Control worker: `node dist/workers/control.js [--address HOST:PORT]` (workflows, ParamSearch, PipeEval). */
import { runCli } from '../src/cli/run.js';
import { runWorkerProcess } from '../src/worker/main.js';

runCli(() => runWorkerProcess(process.argv.slice(2), { control: true }));
