import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { defaultOutputDir } from '../study/layout.js';

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The argument itself when it is a folder, else the output folder of the study config it names. */
export async function outputDirOf(target: string, root: string): Promise<string> {
  if (await isDirectory(target)) return resolve(target);
  const derived = resolve(defaultOutputDir(root, target));
  if (await isDirectory(derived)) return derived;
  throw new InputError(
    `${target}: not a study output folder, and ${derived} does not exist (has the study run? is --root right?)`,
  );
}

/** The one study output folder under `<root>/output/`, for commands whose study may be left out. */
export async function onlyOutputDir(root: string): Promise<string> {
  const output = join(root, 'output');
  const names = await readdir(output).catch(() => [] as string[]);
  const studies: string[] = [];
  for (const name of names.sort())
    if (name.endsWith('_output') && (await stat(join(output, name, 'study.json')).catch(() => undefined)))
      studies.push(join(output, name));
  if (studies.length === 1) return studies[0]!;
  if (studies.length === 0)
    throw new InputError(`no study under ${output}/; name a study output folder or config`);
  throw new InputError(
    `${studies.length} studies under ${output}/ (${studies.map((s) => s.slice(output.length + 1)).join(', ')}); name one`,
  );
}
