/** Every view of a study's results, in report order; a view with nothing to show is left out. */
import type { StudyAnalysis } from '../analysis.js';
import { convergenceView } from './convergence.js';
import { importanceView } from './importance.js';
import { parallelView } from './parallel.js';
import { paretoView } from './pareto.js';
import { sequencesView } from './sequences.js';
import { slicesView } from './slices.js';
import { timelineView } from './timeline.js';
import type { View } from './types.js';
import { validationView } from './validation.js';

export type { View } from './types.js';

export function studyViews(a: StudyAnalysis): View[] {
  return [
    convergenceView(a),
    paretoView(a),
    importanceView(a),
    parallelView(a),
    slicesView(a),
    sequencesView(a),
    validationView(a),
    timelineView(a),
  ].filter((v): v is View => v !== undefined);
}
