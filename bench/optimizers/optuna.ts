/**
 * The Optuna side of the benchmarks: a Python venv under bench/.cache/ with optuna pinned, and the ask/tell
 * server (optuna_server.py) spoken to one JSON line at a time. Run from the repository root.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';

export const OPTUNA_VERSION = '4.5.0';
const ROOT = process.cwd();
const VENV = path.join(ROOT, 'bench/.cache/optuna-venv');
const SERVER = path.join(ROOT, 'bench/optimizers/optuna_server.py');

/**
 * The venv's python, created or completed on first use: optuna plus the Python modules in `extras` (GPSampler
 * needs scipy and torch; NSGA-II and TPE need neither, which spares the multi-objective benchmark torch).
 */
export function ensureVenv(extras: readonly string[] = []): string {
  if (!existsSync(SERVER)) throw new Error(`run from the repository root: ${SERVER} not found`);
  const python = path.join(VENV, 'bin/python');
  const ready = () => {
    try {
      const imports = ['optuna', ...extras].join(', ');
      return (
        execFileSync(python, ['-c', `import ${imports}; print(optuna.__version__)`], {
          encoding: 'utf8',
        }).trim() === OPTUNA_VERSION
      );
    } catch {
      return false;
    }
  };
  if (!ready()) {
    console.error(`preparing ${VENV} (optuna==${OPTUNA_VERSION}${extras.map((e) => `, ${e}`).join('')}) …`);
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(path.join(VENV, 'bin/pip'), ['install', '-q', `optuna==${OPTUNA_VERSION}`, ...extras], {
      stdio: 'inherit',
    });
  }
  return python;
}

export class OptunaServer {
  private proc: ChildProcessWithoutNullStreams;
  private lines: Interface;
  private waiting: ((line: string) => void)[] = [];

  constructor(python: string) {
    this.proc = spawn(python, [SERVER]);
    this.proc.stderr.on('data', (d) => process.stderr.write(d));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  request<T>(body: object): Promise<T> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as T));
      this.proc.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  close(): void {
    this.proc.stdin.end();
  }
}
