import path from 'node:path';
import { STUDY_BEST, STUDY_NAME, STUDY_STATUS, STUDY_TRIALS } from '../../study/searchAttributes.js';
import { WORKFLOW_TYPE } from '../../study/types.js';
import { parseCommandArgs } from '../args.js';
import { formatStudyTable, type StudyRow } from '../progress.js';
import { openSession } from '../session.js';

const USAGE = `usage: pipetune list [--root DIR] [--json]

Studies on the Temporal server (the embedded one of --root, or TEMPORAL_ADDRESS), newest first.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'list',
    argv,
    {
      root: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const session = await openSession(path.resolve(values.root ?? process.cwd()), { start: false });
  try {
    const rows: StudyRow[] = [];
    const seen = new Set<string>();
    for await (const execution of session.client.workflow.list({
      query: `WorkflowType = '${WORKFLOW_TYPE}'`,
    })) {
      if (seen.has(execution.workflowId)) continue; // older runs of the same study
      seen.add(execution.workflowId);
      const attributes = execution.typedSearchAttributes;
      rows.push({
        study: attributes.get(STUDY_NAME) ?? execution.workflowId,
        workflow: execution.workflowId,
        status: execution.status.name,
        state: attributes.get(STUDY_STATUS) ?? '',
        trials: attributes.get(STUDY_TRIALS) ?? 0,
        best: attributes.get(STUDY_BEST) ?? null,
        started: execution.startTime.toISOString(),
      });
    }
    process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatStudyTable(rows));
    return 0;
  } finally {
    await session.close();
  }
}
