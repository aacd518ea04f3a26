/**
 * What the Docker engine saw of one study during a chaos run: its containers' start/die events, to
 * catch a trial with two containers running at once, and what is left of them afterwards.
 */
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { LABELS } from '../../src/pipelines/docker.js';

export interface ContainerWatch {
  /** Stops watching; returns how many containers started and every overlap seen (or lost events). */
  stop(): Promise<{ started: number; overlaps: string[] }>;
}

interface EngineEvent {
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Follows the engine's events for containers labelled with `studyRoot`, from now on. */
export async function watchContainers(docker: Docker, studyRoot: string): Promise<ContainerWatch> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], event: ['start', 'die'], label: [`${LABELS.studyRoot}=${studyRoot}`] },
  })) as unknown as Readable;
  const running = new Map<string, Set<string>>();
  const overlaps: string[] = [];
  let started = 0;
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as EngineEvent;
      const id = event.Actor?.ID?.slice(0, 12) ?? '?';
      const trial = event.Actor?.Attributes?.[LABELS.trial] ?? '?';
      const ids = running.get(trial) ?? new Set<string>();
      running.set(trial, ids);
      if (event.Action === 'die') ids.delete(id);
      else {
        started++;
        ids.add(id);
        if (ids.size > 1) overlaps.push(`${[...ids].join(' and ')} both running for ${trial}`);
      }
    }
  });
  // Without the events the overlap check would pass blind.
  stream.on('error', (err) => overlaps.push(`lost the engine's events: ${err.message}`));
  return {
    async stop() {
      stream.destroy();
      return { started, overlaps };
    },
  };
}

/**
 * Every container of the study that still exists, in whatever state ("left" means not removed:
 * runContainer removes each one it creates, and a GPU worker removes those a crashed one left).
 * They are removed once listed, so a failed run does not litter the host.
 */
export async function containersLeft(docker: Docker, studyRoot: string): Promise<string[]> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.studyRoot}=${studyRoot}`] },
  });
  for (const info of found) await docker.getContainer(info.Id).remove({ force: true });
  return found.map((info) => `${info.Id.slice(0, 12)} ${info.State} (${info.Labels[LABELS.trial]})`);
}
