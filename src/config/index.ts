/** Study configs in PipeTuner's format: loading, validation, and rendering a trial's config set. */

export { COMMAND_PLACEHOLDERS } from '../pipelines/types.js';
export { originalParams, paramsProblems, rangeProblems, render } from '../render/index.js';
export { checkStudyData, type StudyDataReport, validateStudyData } from './dataChecks.js';
export { describeStudy } from './describe.js';
export { withoutSuperseded } from './issues.js';
export { BUILTIN_CONFIGS, type LoadOptions, loadStudyConfig, StudyConfigError } from './loader.js';
export { OPTIMIZER_NAMES } from './schema.js';
export type * from './types.js';
