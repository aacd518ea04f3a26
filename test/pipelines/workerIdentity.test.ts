import { expect, it } from 'vitest';
import { workerAlive, workerIdentity } from '../../src/pipelines/workerIdentity.js';

it('tells a live worker from a gone one, and from a reused pid', () => {
  expect(workerIdentity()).toMatch(new RegExp(`^${process.pid}:\\d+$`));
  expect(workerAlive(workerIdentity())).toBe(true);
  // The same pid with another start time: a new process that got the old worker's pid.
  expect(workerAlive(`${process.pid}:1`)).toBe(false);
  expect(workerAlive('999999999:1')).toBe(false);
  expect(workerAlive('not-a-pid')).toBe(false);
});
