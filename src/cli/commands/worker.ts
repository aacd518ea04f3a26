import { runWorkerProcess } from '../../worker/main.js';

export function run(argv: string[]): Promise<number> {
  return runWorkerProcess(argv);
}
