import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecConfig } from '../../src/config/types.js';
import { policyRefusal } from '../../src/worker/policy.js';

const base = mkdtempSync(join(tmpdir(), 'pipetune-policy-'));
const studies = join(base, 'studies');
mkdirSync(join(studies, 'a'), { recursive: true });
mkdirSync(join(base, 'elsewhere'));
symlinkSync(join(base, 'elsewhere'), join(studies, 'escape'));
const EXEC = 'parameter_space.Init.Exec';

function study(exec: Partial<ExecConfig>, rootDir = join(studies, 'a'), outputDir = join(rootDir, 'output')) {
  return {
    exec: { pipeline: 'command', deepstream: {}, ...exec } as ExecConfig,
    execPath: EXEC,
    rootDir,
    outputDir,
  };
}

describe('a GPU worker runs only what its operator allowed', () => {
  it('no lists: anything runs (the CLI runs its own study in process)', () => {
    expect(policyRefusal({}, study({ command: ['/bin/sh', '-c', 'x'] }))).toBeUndefined();
  });

  it('a command program not in --allow-program is refused, naming the key', () => {
    const policy = { programs: ['python3'] };
    expect(policyRefusal(policy, study({ command: ['python3', 'run.py'] }))).toBeUndefined();
    expect(policyRefusal(policy, study({ command: ['/bin/sh', '-c', 'curl x | sh'] }))).toBe(
      `${EXEC}.command: program "/bin/sh" is not allowed on this worker (allowed: python3; pipetune worker --allow-program)`,
    );
    expect(policyRefusal({ programs: [] }, study({ command: ['python3'] }))).toMatch(/allowed: none/);
  });

  it('an image not in --allow-image is refused for docker and deepstream studies', () => {
    const policy = { images: ['pipetune-test/pipeline:1'] };
    const docker = { image: 'evil/miner', binds: [], network: 'none', gpus: true, env: {} };
    expect(policyRefusal(policy, study({ command: ['run'], docker }))).toBe(
      `${EXEC}.docker.image: image "evil/miner" is not allowed on this worker (allowed: pipetune-test/pipeline:1; pipetune worker --allow-image)`,
    );
    expect(
      policyRefusal(policy, study({ pipeline: 'deepstream', deepstream: { image: 'nvcr.io/x/ds:7' } })),
    ).toMatch(new RegExp(`^${EXEC}\\.deepstream\\.image: image "nvcr.io/x/ds:7" is not allowed`));
    expect(
      policyRefusal(
        policy,
        study({ pipeline: 'deepstream', deepstream: { image: 'pipetune-test/pipeline:1' } }),
      ),
    ).toBeUndefined();
  });

  it('study roots and output folders outside --study-root (after symlinks) are refused', () => {
    const policy = { studyRoot: studies };
    expect(policyRefusal(policy, study({ pipeline: 'builtin' }))).toBeUndefined();
    expect(policyRefusal(policy, study({ pipeline: 'builtin' }, '/etc'))).toBe(
      `${EXEC}.rootPath: /etc resolves outside this worker's study root ${studies} (after following symlinks); refused`,
    );
    expect(policyRefusal(policy, study({ pipeline: 'builtin' }, join(studies, 'escape')))).toMatch(
      /rootPath: .*escape resolves outside/,
    );
    expect(
      policyRefusal(
        policy,
        study({ pipeline: 'builtin' }, join(studies, 'a'), join(studies, 'escape', 'out')),
      ),
    ).toMatch(/^output folder: .*escape\/out resolves outside/);
  });
});
