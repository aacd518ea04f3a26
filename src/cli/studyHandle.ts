import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Client, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
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
export async function startOrAttach(client: Client, study: StudyRef) {
  return client.workflow.start(WORKFLOW_TYPE, {
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
