import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecConfig } from '../../src/config/types.js';
import { DENY_ALL, describePolicy, policyRefusal, rootPolicy, studyPolicy } from '../../src/worker/policy.js';

const base = mkdtempSync(join(tmpdir(), 'pipetune-policy-'));
const studies = join(base, 'studies');
mkdirSync(join(studies, 'a'), { recursive: true });
mkdirSync(join(base, 'elsewhere'));
symlinkSync(join(base, 'elsewhere'), join(studies, 'escape'));
const EXEC = 'parameter_space.Init.Exec';

const docker = (image: string, more: Partial<NonNullable<ExecConfig['docker']>> = {}) => ({
  image,
  binds: [],
  network: 'none',
  gpus: true,
  env: {},
  ...more,
});

function study(exec: Partial<ExecConfig>, rootDir = join(studies, 'a'), outputDir = join(rootDir, 'output')) {
  return {
    exec: { pipeline: 'command', deepstream: {}, ...exec } as ExecConfig,
    execPath: EXEC,
    rootDir,
    outputDir,
  };
}

describe('a GPU worker runs only what its operator allowed', () => {
  it('no lists: only builtin studies run; programs and images are refused, saying which flag allows them', () => {
    expect(policyRefusal(DENY_ALL, study({ pipeline: 'builtin' }))).toBeUndefined();
    expect(policyRefusal(DENY_ALL, study({ command: ['/bin/sh', '-c', 'x'] }))).toBe(
      `${EXEC}.command: program "/bin/sh" is not allowed on this worker (allowed: none; pipetune worker --allow-program /bin/sh, or programs: in its --policy file)`,
    );
    expect(
      policyRefusal(DENY_ALL, study({ pipeline: 'deepstream', deepstream: { image: 'nvcr.io/x/ds:7' } })),
    ).toBe(
      `${EXEC}.deepstream.image: image "nvcr.io/x/ds:7" is not allowed on this worker (allowed: none; pipetune worker --allow-image nvcr.io/x/ds:7, or images: in its --policy file)`,
    );
  });

  it("DeepStream without an image runs the host's deepstream-app: a program like any other", () => {
    const host = study({ pipeline: 'deepstream', deepstream: {} });
    expect(policyRefusal(DENY_ALL, host)).toBe(
      `${EXEC}.pipeline: program "deepstream-app" is not allowed on this worker (allowed: none; pipetune worker --allow-program deepstream-app, or programs: in its --policy file)`,
    );
    expect(policyRefusal({ ...DENY_ALL, programs: ['deepstream-app'] }, host)).toBeUndefined();
    expect(studyPolicy(host.exec).programs).toEqual(['deepstream-app']);
  });

  it('--allow-any-program / --allow-any-image (unsafe) run whatever a study names', () => {
    const policy = { ...DENY_ALL, programs: 'any', images: 'any' } as const;
    expect(
      policyRefusal(policy, study({ command: ['/bin/sh'], docker: docker('evil/miner') })),
    ).toBeUndefined();
    // The worker says so when it starts.
    expect(describePolicy(policy)).toMatch(/^programs ANY \(unsafe\); images ANY \(unsafe\); /);
  });

  it('a command program not in --allow-program is refused, naming the key', () => {
    const policy = { ...DENY_ALL, programs: ['python3'] };
    expect(policyRefusal(policy, study({ command: ['python3', 'run.py'] }))).toBeUndefined();
    expect(policyRefusal(policy, study({ command: ['/bin/sh', '-c', 'curl x | sh'] }))).toBe(
      `${EXEC}.command: program "/bin/sh" is not allowed on this worker (allowed: python3; pipetune worker --allow-program /bin/sh, or programs: in its --policy file)`,
    );
  });

  it('an image not in --allow-image is refused for docker and deepstream studies', () => {
    const policy = { ...DENY_ALL, programs: ['run'], images: ['pipetune-test/pipeline:1'] };
    expect(policyRefusal(policy, study({ command: ['run'], docker: docker('evil/miner') }))).toMatch(
      new RegExp(
        `^${EXEC}\\.docker\\.image: image "evil/miner" is not allowed on this worker \\(allowed: pipetune-test/pipeline:1;`,
      ),
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
    const policy = { ...DENY_ALL, studyRoot: studies };
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

describe('containers get the study root only, no network, no root, unless the worker allows it', () => {
  const allowed = { ...DENY_ALL, images: ['img'] };
  const run = (more: Partial<NonNullable<ExecConfig['docker']>>) =>
    study({ command: ['run'], docker: docker('img', more) });
  const everything = { ...allowed, programs: ['run'] };
  mkdirSync(join(base, 'models'));

  it('docker.binds inside the study root are mounted; anything else is refused, naming the bind', () => {
    const root = join(studies, 'a');
    expect(policyRefusal(everything, run({ binds: [`${root}/data:/data:ro`] }))).toBeUndefined();
    expect(policyRefusal(everything, run({ binds: ['/etc:/host-etc'] }))).toBe(
      `${EXEC}.docker.binds[0]: "/etc:/host-etc" resolves outside the study root ${root} and the folders this worker allows (after following symlinks); refused (pipetune worker --allow-bind DIR[:ro], or binds: in its --policy file)`,
    );
    // A symlink inside the study root that leads out of it.
    symlinkSync(join(base, 'elsewhere'), join(root, 'out-link'));
    expect(policyRefusal(everything, run({ binds: [`${root}/x:/x`, `${root}/out-link:/y`] }))).toMatch(
      /^parameter_space\.Init\.Exec\.docker\.binds\[1\]: .*out-link:\/y" resolves outside/,
    );
    expect(policyRefusal(everything, run({ binds: ['secrets:/secrets'] }))).toMatch(
      /docker\.binds\[0\]: "secrets:\/secrets" is a named volume, not a host folder/,
    );
  });

  it('--allow-bind DIR allows DIR; DIR:ro allows it read-only only', () => {
    const models = join(base, 'models');
    const rw = { ...everything, binds: [{ path: models, readOnly: false }] };
    const ro = { ...everything, binds: [{ path: models, readOnly: true }] };
    expect(policyRefusal(rw, run({ binds: [`${models}:/models`] }))).toBeUndefined();
    expect(policyRefusal(ro, run({ binds: [`${models}:/models:ro`] }))).toBeUndefined();
    expect(policyRefusal(ro, run({ binds: [`${models}:/models`] }))).toMatch(
      /binds\[0\]: .* resolves outside/,
    );
  });

  it('a network other than none needs --allow-network; a root user needs --allow-root-user', () => {
    expect(policyRefusal(everything, run({ network: 'host' }))).toBe(
      `${EXEC}.docker.network: "host" is not allowed on this worker (containers get no network; pipetune worker --allow-network, or network: true in its --policy file)`,
    );
    expect(policyRefusal({ ...everything, network: true }, run({ network: 'host' }))).toBeUndefined();
    for (const user of ['root', '0', '0:0', '00', 'root:wheel'])
      expect(policyRefusal(everything, run({ user }))).toBe(
        `${EXEC}.docker.user: ${JSON.stringify(user)} is root, which this worker does not allow (pipetune worker --allow-root-user, or rootUser: true in its --policy file)`,
      );
    expect(policyRefusal(everything, run({ user: '1000:1000' }))).toBeUndefined();
    expect(policyRefusal({ ...everything, rootUser: true }, run({ user: 'root' }))).toBeUndefined();
  });

  it("a study's own policy is exactly what its config names", () => {
    const own = run({ network: 'bridge', binds: ['/opt/models:/models:ro'], user: 'root' });
    const policy = studyPolicy(own.exec);
    expect(policy).toEqual({
      programs: ['run'],
      images: ['img'],
      network: true,
      binds: [{ path: '/opt/models', readOnly: false }],
      rootUser: true,
    });
    expect(policyRefusal(policy, own)).toBeUndefined();
    expect(policyRefusal(policy, study({ command: ['/bin/sh'] }))).toMatch(
      /program "\/bin\/sh" is not allowed/,
    );
    const builtin = study({ pipeline: 'builtin' });
    expect(
      policyRefusal(studyPolicy(builtin.exec), {
        ...builtin,
        exec: { ...builtin.exec, docker: docker('img') },
      }),
    ).toMatch(/image "img" is not allowed/);
  });

  it("the CLI's in-process workers run every study of their root as its config says, and no study elsewhere", () => {
    const policy = rootPolicy(join(studies, 'a'));
    // Two studies of one root (two `tune`s sharing the embedded server) run each other's trials.
    expect(policyRefusal(policy, run({ network: 'bridge', user: 'root' }))).toBeUndefined();
    expect(policyRefusal(policy, study({ command: ['/bin/sh'] }))).toBeUndefined();
    // A study of another root does not run, nor one whose root escapes through a symlink.
    expect(policyRefusal(policy, study({ command: ['/bin/sh'] }, join(base, 'elsewhere')))).toMatch(
      /rootPath: .* resolves outside this worker's study root/,
    );
    expect(policyRefusal(policy, study({ command: ['/bin/sh'] }, join(studies, 'escape')))).toMatch(
      /rootPath: .* resolves outside this worker's study root/,
    );
  });
});
