/** Study configs in PipeTuner's format: loading, validation, and rendering a trial's config set. */

export { originalParams, paramsProblems, render } from '../render/index.js';
export { describeStudy } from './describe.js';
export { BUILTIN_CONFIGS, type LoadOptions, loadStudyConfig, StudyConfigError } from './loader.js';
export { OPTIMIZER_NAMES } from './schema.js';
export { COMMAND_PLACEHOLDERS } from '../pipelines/types.js';
export type * from './types.js';
