/**
 * TrackEval's per-sequence data model, the input of HOTA, CLEAR, Identity and Count. Independent of
 * files and of the similarity measure: MOT uses box IoU, MTMC a ground-plane similarity.
 */
export interface SequenceData {
  numTimesteps: number;
  numGtIds: number;
  numTrackerIds: number;
  numGtDets: number;
  numTrackerDets: number;
  /** Per timestep: the gt ids present (0..numGtIds-1, unique in a timestep), in the row order of `similarity`. */
  gtIds: Int32Array[];
  /** Per timestep: the tracker ids present (0..numTrackerIds-1), in the column order of `similarity`. */
  trackerIds: Int32Array[];
  /** Per timestep: gt × tracker similarities in [0, 1], row-major. */
  similarity: Float64Array[];
}
