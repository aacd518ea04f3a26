import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes the study workflow upserts, so studies can be filtered in the UI and the CLI. */
export const STUDY_NAME = defineSearchAttributeKey('PipetuneStudy', SearchAttributeType.KEYWORD);
export const STUDY_STATUS = defineSearchAttributeKey('PipetuneStatus', SearchAttributeType.KEYWORD);
export const STUDY_BEST = defineSearchAttributeKey('PipetuneBest', SearchAttributeType.DOUBLE);
export const STUDY_TRIALS = defineSearchAttributeKey('PipetuneTrials', SearchAttributeType.INT);

/** The same, as the dev server and `temporal operator` name their types. */
export const SEARCH_ATTRIBUTES = [
  { name: 'PipetuneStudy', cliType: 'Keyword' },
  { name: 'PipetuneStatus', cliType: 'Keyword' },
  { name: 'PipetuneBest', cliType: 'Double' },
  { name: 'PipetuneTrials', cliType: 'Int' },
] as const;
