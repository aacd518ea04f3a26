import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Client, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { StudyConfig } from '../config/index.js';
import { InputError } from '../errors.js';
import { defaultStudyName } from '../study/layout.js';
import { STUDY_NAME, STUDY_STATUS } from '../study/searchAttributes.js';
import { CONTROL_QUEUE, type StudyRef, studyWorkflowId, WORKFLOW_TYPE } from '../study/types.js';

/** A study is named on the command line by its name or by its config file. */
export function studyNameFrom(arg: string): string {
  return /\.ya?ml$/i.test(arg) && existsSync(arg) ? defaultStudyName(path.resolve(arg)) : arg;
}

/**
 * Start the study's workflow, or attach to it when it is already running (one running study per name).
 * A finished study with the same name starts a new run that continues from its trial store.
 */
export async function startOrAttach(client: Client, study: StudyRef, overview?: StudyOverview) {
  return client.workflow.start(WORKFLOW_TYPE, {
    // Shown by the Temporal UI at the top of the study's page.
    ...(overview ? { staticSummary: overview.summary, staticDetails: overview.details } : {}),
    taskQueue: CONTROL_QUEUE,
    workflowId: studyWorkflowId(study.name),
    args: [{ study }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    memo: { study },
    typedSearchAttributes: [
      { key: STUDY_NAME, value: study.name },
      { key: STUDY_STATUS, value: 'running' },
    ],
  });
}

/** The Temporal UI's summary line and Markdown details of a study. */
export interface StudyOverview {
  summary: string;
  details: string;
}

/** `pipetune study sdg-mot · HOTA · builtin`, and the config path with the search space. */
export function studyOverview(config: StudyConfig, study: StudyRef): StudyOverview {
  const space = config.parameters.map((p) => {
    const d = p.dimension;
    const range = d.kind === 'choice' ? d.choices.join(' | ') : `[${d.low}, ${d.high}]${d.log ? ' log' : ''}`;
    return `- \`${p.name}\` ${range} (original ${String(p.original)})`;
  });
  return {
    summary: `pipetune study ${study.name} · ${config.metric} · ${config.exec.pipeline}`,
    details: [
      `**config** \`${study.configPath}\`  `,
      `**output** \`${study.outputDir}\`  `,
      `**optimizers** ${config.bbo.optimizers.map((o) => `${o.name} × ${o.maxIteration}`).join(', ')}${config.pruning ? `; pruner ${config.pruning.pruner.name}` : ''}`,
      '',
      `**search space** (${space.length} parameters)`,
      ...space,
    ].join('\n'),
  };
}

/** The StudyRef a workflow was started with: its memo (pipetune's CLI sets it), else its first input. */
async function studyOf(client: Client, handle: WorkflowHandle, memo: unknown): Promise<StudyRef | undefined> {
  if (memo) return memo as StudyRef;
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  const input = client.options.loadedDataConverter.payloadConverter.fromPayload(payload) as {
    study?: StudyRef;
  } | null;
  return input?.study;
}

/** The workflow ids a study name may have: pipetune's own, the name itself, or its PipetuneStudy attribute. */
async function candidateIds(client: Client, name: string): Promise<string[]> {
  const ids = [studyWorkflowId(name), name];
  const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ${STUDY_NAME.name} = '${name.replaceAll("'", '')}'`;
  try {
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  } catch {
    // A server without pipetune's search attributes: ids only.
  }
  return [...new Set(ids)];
}

/**
 * The study's latest run and the StudyRef it was started with, for any workflow of type tuningStudy
 * (started by pipetune, the Temporal CLI or another SDK), found by name or by workflow id.
 */
export async function describeStudy(client: Client, name: string) {
  for (const workflowId of await candidateIds(client, name)) {
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((err) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (!description || description.type !== WORKFLOW_TYPE) continue;
    const study = await studyOf(client, handle, description.memo?.study);
    if (!study) throw new InputError(`workflow ${workflowId} has no study in its memo or its input`);
    return { handle, description, study };
  }
  throw new InputError(`no study named "${name}" on this Temporal server (see pipetune list)`);
}

/** A control worker long-polls for 60 s at most, so one seen within this is still there. */
const POLLER_FRESH_MS = 90_000;

/** Whether a control worker polled the study's queue lately (a study's queries and updates run only on one). */
export async function controlWorkerPolling(client: Client): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    // TASK_QUEUE_KIND_NORMAL, TASK_QUEUE_TYPE_WORKFLOW (numeric: @temporalio/proto is not a runtime dependency)
    taskQueue: { name: CONTROL_QUEUE, kind: 1 },
    taskQueueType: 1,
  });
  const seconds = (p: (typeof pollers)[number]) => Number(p.lastAccessTime?.seconds ?? 0);
  return pollers.some((p) => Date.now() - seconds(p) * 1000 < POLLER_FRESH_MS);
}

// History event types (numeric: @temporalio/proto is not a runtime dependency).
const WORKFLOW_TASK_COMPLETED = 7;
const WORKFLOW_EXECUTION_SIGNALED = 26;

/**
 * Whether a stop reached the running study that it has not ended with yet: it is `stopping`, or a stop
 * signal sent while no control worker ran waits in its history, after its last completed workflow task
 * (read newest first, so a long history costs one page).
 */
export async function stopPending(client: Client, workflowId: string, state: string | undefined) {
  if (state === 'stopping') return true;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: 100,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      if (event.eventType === WORKFLOW_TASK_COMPLETED) return false;
      if (
        event.eventType === WORKFLOW_EXECUTION_SIGNALED &&
        event.workflowExecutionSignaledEventAttributes?.signalName === 'stop'
      )
        return true;
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return false;
}
