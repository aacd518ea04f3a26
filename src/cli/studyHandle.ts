import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
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

/** The study's latest run and the StudyRef it was started with (kept in its memo). */
export async function describeStudy(client: Client, name: string) {
  const handle = client.workflow.getHandle(studyWorkflowId(name));
  try {
    const description = await handle.describe();
    const study = description.memo?.study as StudyRef | undefined;
    if (!study)
      throw new InputError(`workflow ${handle.workflowId} is not a pipetune study (no study in its memo)`);
    return { handle, description, study };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new InputError(`no study named "${name}" on this Temporal server (see pipetune list)`);
    throw err;
  }
}
