/**
 * Docker for the pipeline tests: the real engine and the local test images (scripts/setup-docker.sh
 * builds them). Without them a suite is skipped with the reason, except under CI, where it fails.
 */
import Docker from 'dockerode';
import { describe, it } from 'vitest';

export const TEST_IMAGES = {
  busybox: 'pipetune-test/busybox:1',
  deepstream: 'pipetune-test/deepstream:1',
  node: 'pipetune-test/node:1',
} as const;

const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/** Why Docker cannot be used here, or undefined when it can. */
export async function dockerProblem(): Promise<string | undefined> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (err) {
    return `the Docker engine does not answer (${(err as Error).message}); run scripts/setup-docker.sh`;
  }
  for (const image of Object.values(TEST_IMAGES)) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      return `test image ${image} is missing; run scripts/setup-docker.sh`;
    }
  }
  return undefined;
}

/** `describe`, or a skip (a failure under CI) naming why Docker is unavailable. */
export function describeWithDocker(name: string, problem: string | undefined, body: () => void): void {
  if (problem === undefined) describe(name, body);
  else if (inCi) {
    describe(name, () => {
      it('needs Docker', () => {
        throw new Error(`CI requires Docker: ${problem}`);
      });
    });
  } else describe.skip(`${name} — skipped: ${problem}`, body);
}
