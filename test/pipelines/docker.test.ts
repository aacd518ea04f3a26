import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  containerCreateOptions,
  LABELS,
  removeStaleContainers,
  runContainer,
  runLabels,
} from '../../src/pipelines/docker.js';
import { createAdapter } from '../../src/pipelines/index.js';
import { checkVisible, runBinds } from '../../src/pipelines/mounts.js';
import { describeWithDocker, dockerProblem, TEST_IMAGES } from './dockerTestEnv.js';
import { type StudyFixture, studyFixture } from './studyFixture.js';

const docker = new Docker();

/** `chown -R` (the test runs as root). */
async function chownTree(dir: string, { uid, gid }: { uid: number; gid: number }): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    await chown(path.join(entry.parentPath, entry.name), uid, gid);
}

/** Containers still carrying a trial's label (removed ones are gone from the list). */
async function containersOf(trialDir: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABELS.trial}=${trialDir}`] } });
}

let study: StudyFixture;
beforeEach(async () => {
  study = await studyFixture();
});

describe('container create options', () => {
  const spec = {
    image: 'nvcr.io/nvidia/deepstream:7.1-triton-multiarch',
    argv: ['deepstream-app', '-c', '/study/out/trial/deepstream-app.txt'],
    workingDir: '/study',
    binds: ['/study:/study', '/models:/models:ro'],
    network: 'none',
    user: '1000:1000',
    env: { GST_DEBUG: '2' },
    gpu: 3,
    gpus: true,
    labels: { [LABELS.trial]: '/study/out/trial' },
    logFile: '/study/out/trial/log.txt',
    signal: new AbortController().signal,
  };

  it('requests the pinned GPU from the NVIDIA runtime, with no network and the given binds', () => {
    expect(containerCreateOptions(spec)).toEqual({
      Image: 'nvcr.io/nvidia/deepstream:7.1-triton-multiarch',
      Cmd: ['deepstream-app', '-c', '/study/out/trial/deepstream-app.txt'],
      WorkingDir: '/study',
      User: '1000:1000',
      Env: ['GST_DEBUG=2'],
      Labels: { [LABELS.trial]: '/study/out/trial' },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        Binds: ['/study:/study', '/models:/models:ro'],
        NetworkMode: 'none',
        Privileged: false,
        SecurityOpt: ['no-new-privileges'],
        DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: ['3'], Capabilities: [['gpu']] }],
      },
    });
  });

  it('requests no GPU when GPUs are off or the worker is not pinned', () => {
    expect(containerCreateOptions({ ...spec, gpus: false }).HostConfig).not.toHaveProperty('DeviceRequests');
    expect(containerCreateOptions({ ...spec, gpu: undefined }).HostConfig).not.toHaveProperty(
      'DeviceRequests',
    );
  });
});

describe('container binds', () => {
  it('mounts the study root at its own path, and the trial folder too when it lies elsewhere', () => {
    expect(runBinds('/study', '/study/output/t1', [], ['/data:/data:ro'])).toEqual([
      '/study:/study',
      '/data:/data:ro',
    ]);
    expect(runBinds('/study', '/scratch/t1', ['/pkg:/pkg:ro'], [])).toEqual([
      '/study:/study',
      '/scratch/t1:/scratch/t1',
      '/pkg:/pkg:ro',
    ]);
  });

  it('refuses a needed path that no same-path bind shows to the container', () => {
    const binds = ['/study:/study', '/data:/mnt/data:ro', 'cache:/cache'];
    expect(() => checkVisible({ dataset: '/study/data', seqmap: undefined }, binds)).not.toThrow();
    expect(() => checkVisible({ dataset: '/data/seqs' }, binds)).toThrow(InputError);
    expect(() => checkVisible({ dataset: '/data/seqs' }, binds)).toThrow('cannot see the dataset /data/seqs');
    expect(() => checkVisible({ dataset: '/studyX/a' }, binds)).toThrow('/studyX/a');
  });
});

describe('docker engine errors', () => {
  it('says so plainly when the engine cannot be reached', async () => {
    const nowhere = new Docker({ socketPath: path.join(study.root, 'no-docker.sock') });
    const request = study.request();
    const run = runContainer(
      {
        image: TEST_IMAGES.busybox,
        argv: ['true'],
        binds: [],
        network: 'none',
        env: {},
        gpus: false,
        labels: {},
        logFile: request.logFile,
        signal: request.signal,
      },
      nowhere,
    );
    await expect(run).rejects.toThrow('cannot reach the Docker engine');
    await expect(run).rejects.not.toThrow(InputError);
    expect(await readFile(request.logFile, 'utf8')).toContain('[pipetune] cannot reach the Docker engine');
  });
});

const problem = await dockerProblem();
describeWithDocker('docker runs (real engine)', problem, () => {
  afterAll(async () => {
    // No container of these tests' study folders may outlive them.
    const left = await docker.listContainers({ all: true, filters: { label: [LABELS.trial] } });
    expect(
      left.filter((c) => c.Labels[LABELS.trial]?.startsWith(path.join(tmpdir(), 'pipetune-pipelines-'))),
    ).toEqual([]);
  });

  it('runs a command adapter in busybox: MOT file written into the bound study folder, output demultiplexed, container removed', async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: [
        'sh',
        '-c',
        'printf "1,5,10,20,30,40,1,-1,-1,-1\\n" > {output}/CamA.txt; echo "to stdout"; echo "to stderr" >&2; ls /sys/class/net; echo "FOO=$FOO pwd=$(pwd)"',
      ],
      docker: { image: TEST_IMAGES.busybox, gpus: false, env: { FOO: 'bar' } },
      studyRoot: study.root,
    });
    const lines: string[] = [];
    const request = study.request({ gpu: 5, onOutput: (line) => lines.push(line) });
    const result = await adapter.run(request);
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeUndefined();
    expect(await readFile(path.join(request.outputDir, 'CamA.txt'), 'utf8')).toBe(
      '1,5,10,20,30,40,1,-1,-1,-1\n',
    );
    // Network none: only the loopback interface.
    expect(lines.sort()).toEqual([`FOO=bar pwd=${study.root}`, 'lo', 'to stderr', 'to stdout']);
    const log = await readFile(request.logFile, 'utf8');
    expect(log).toContain(`[pipetune] docker image ${TEST_IMAGES.busybox}, network none: $ sh -c`);
    expect(log).toMatch(/\[pipetune\] exit code 0 after \d+\.\d s\n$/);
    expect(await containersOf(study.trialDir)).toEqual([]);
  });

  it("runs as the given user and returns the container's exit code", async () => {
    const request = study.request();
    await mkdir(request.outputDir, { recursive: true });
    await chmod(request.outputDir, 0o777);
    for (let dir = path.dirname(request.outputDir); dir.startsWith(study.root); dir = path.dirname(dir))
      await chmod(dir, 0o755);
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['sh', '-c', 'id -u > {output}/uid.txt; exit 4'],
      docker: { image: TEST_IMAGES.busybox, gpus: false, user: '1234:1234' },
      studyRoot: study.root,
    });
    const result = await adapter.run(request);
    expect(result.exitCode).toBe(4);
    const file = path.join(request.outputDir, 'uid.txt');
    expect((await readFile(file, 'utf8')).trim()).toBe('1234');
    expect((await stat(file)).uid).toBe(1234);
  });

  it("confines the container: network none, not privileged, no new privileges, the worker's user (the study root's owner when the worker is root)", async () => {
    const request = study.request();
    await mkdir(request.outputDir, { recursive: true });
    const worker = { uid: process.getuid!(), gid: process.getgid!() };
    // A root worker runs containers as the study root's owner: give the study root one.
    const owner = worker.uid === 0 ? { uid: 1234, gid: 1234 } : worker;
    if (worker.uid === 0) await chownTree(study.root, owner);
    const adapter = createAdapter({
      pipeline: 'command',
      // Waits for the test to look at it, then reports what it sees from inside.
      command: [
        'sh',
        '-c',
        'while [ ! -e {output}/go ]; do sleep 0.1; done; id -u; grep NoNewPrivs /proc/self/status; ls /sys/class/net',
      ],
      docker: { image: TEST_IMAGES.busybox, gpus: false },
      studyRoot: study.root,
    });
    const lines: string[] = [];
    const run = adapter.run({ ...request, onOutput: (line) => lines.push(line) });
    let found: Docker.ContainerInfo[] = [];
    for (let i = 0; i < 300 && found.length === 0; i++) {
      found = await containersOf(study.trialDir);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toHaveLength(1);
    const seen = await docker.getContainer(found[0]!.Id).inspect();
    await writeFile(path.join(request.outputDir, 'go'), '');
    expect((await run).exitCode).toBe(0);
    expect({
      network: seen.HostConfig.NetworkMode,
      privileged: seen.HostConfig.Privileged,
      securityOpt: seen.HostConfig.SecurityOpt,
      user: seen.Config.User,
    }).toEqual({
      network: 'none',
      privileged: false,
      securityOpt: ['no-new-privileges'],
      user: `${owner.uid}:${owner.gid}`,
    });
    expect(lines).toEqual([String(owner.uid), 'NoNewPrivs:\t1', 'lo']);
  });

  it('on abort stops the container (SIGKILL after the grace period) and removes it', async () => {
    const controller = new AbortController();
    const request = study.request({ gpu: 1 });
    const started = Date.now();
    const result = await runContainer({
      image: TEST_IMAGES.busybox,
      // A shell as PID 1 ignores SIGTERM: the stop has to escalate.
      argv: ['sh', '-c', 'echo started; sleep 300'],
      binds: [],
      network: 'none',
      env: {},
      gpu: 1,
      gpus: false,
      labels: { [LABELS.trial]: study.trialDir },
      logFile: request.logFile,
      onOutput: () => controller.abort(),
      signal: controller.signal,
      graceMs: 1000,
    });
    expect(result.signal).toBe('SIGKILL');
    expect(result.exitCode).toBe(137);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await containersOf(study.trialDir)).toEqual([]);
    expect(await readFile(request.logFile, 'utf8')).toContain('cancelled: stopping container');
  });

  it('names a missing image in a clear input error, and leaves no container', async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['true'],
      docker: { image: 'pipetune-test/no-such-image:0', gpus: false },
      studyRoot: study.root,
    });
    const run = adapter.run(study.request());
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow('docker image "pipetune-test/no-such-image:0" is not on this host');
    expect(await containersOf(study.trialDir)).toEqual([]);
  });

  it('names the program an image cannot run', async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['no-such-program'],
      docker: { image: TEST_IMAGES.busybox, gpus: false },
      studyRoot: study.root,
    });
    await expect(adapter.run(study.request())).rejects.toThrow(
      `docker image "${TEST_IMAGES.busybox}" cannot run "no-such-program"`,
    );
    expect(await containersOf(study.trialDir)).toEqual([]);
  });

  it('refuses to start when a needed path is outside every bind', async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['true'],
      docker: { image: TEST_IMAGES.busybox, gpus: false },
      studyRoot: study.root,
    });
    await expect(adapter.run(study.request({ datasetDir: '/opt/elsewhere' }))).rejects.toThrow(
      'cannot see the dataset /opt/elsewhere',
    );
  });

  it("leaves a live worker's running trial alone when another worker on its GPU cleans up", async () => {
    // The chaos benchmark's finding: a worker starting on GPU 0 force-removed a live worker's container.
    const labels = runLabels({ studyRoot: study.root, trialDir: study.trialDir, gpu: 7 });
    const dead = await docker.createContainer({
      Image: TEST_IMAGES.busybox,
      Cmd: ['sleep', '300'],
      // Above any pid_max: a worker that is gone.
      Labels: { ...labels, [LABELS.worker]: '999999999:1' },
      HostConfig: { NetworkMode: 'none' },
    });
    await dead.start();
    let cleanup: Promise<string[]> | undefined;
    const request = study.request({ gpu: 7 });
    try {
      const result = await runContainer({
        image: TEST_IMAGES.busybox,
        argv: ['sh', '-c', 'echo started; sleep 2; echo finished'],
        binds: [],
        network: 'none',
        env: {},
        gpu: 7,
        gpus: false,
        labels,
        logFile: request.logFile,
        onOutput: (line) => {
          if (line === 'started') cleanup = removeStaleContainers({ gpu: 7 });
        },
        signal: new AbortController().signal,
      });
      expect(result.exitCode).toBe(0);
      expect(await cleanup).toEqual([dead.id]);
      expect(await readFile(request.logFile, 'utf8')).toContain('finished');
      expect(await containersOf(study.trialDir)).toEqual([]);
    } finally {
      await dead.remove({ force: true }).catch(() => undefined);
    }
  });

  it('removes the stale containers of one GPU of this host, and only those', async () => {
    const start = async (labels: Record<string, string>) => {
      const container = await docker.createContainer({
        Image: TEST_IMAGES.busybox,
        Cmd: ['sleep', '300'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      return container.id;
    };
    const trialDir = study.trialDir;
    const gpu7 = await start({ [LABELS.trial]: trialDir, [LABELS.host]: hostname(), [LABELS.gpu]: '7' });
    const gpu8 = await start({ [LABELS.trial]: trialDir, [LABELS.host]: hostname(), [LABELS.gpu]: '8' });
    const otherHost = await start({
      [LABELS.trial]: trialDir,
      [LABELS.host]: 'another-host',
      [LABELS.gpu]: '7',
    });
    try {
      expect(await removeStaleContainers({ gpu: 7 })).toEqual([gpu7]);
      expect((await containersOf(trialDir)).map((c) => c.Id).sort()).toEqual([gpu8, otherHost].sort());
      expect(await removeStaleContainers({ trialDir })).toEqual([gpu8]);
    } finally {
      for (const id of [gpu7, gpu8, otherHost])
        await docker
          .getContainer(id)
          .remove({ force: true })
          .catch(() => undefined);
    }
  });
});
