import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
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
