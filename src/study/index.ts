// Public API of src/study: activations compared over seeds on accuracy, dead units and hardware cost, every network verified bit-exact.
export * from './types.js';
export { runStudy, studyFailure, studyCommand, STUDY_MD, STUDY_JSON, MAX_JOBS } from './run.js';
export {
  planStudy,
  jobKey,
  STUDY_ACTIVATIONS,
  STUDY_BASELINE,
  STUDY_DATASETS,
  STUDY_SEEDS,
  MAX_SEEDS,
  MAX_EPOCHS,
  STUDY_BITS,
  type StudyPlan,
} from './plan.js';
export {
  mean,
  sd,
  tInterval,
  signedRanks,
  wilcoxonSignedRank,
  pairedComparison,
  type Interval,
  type WilcoxonResult,
  type PairedComparison,
  type Verdict,
} from './stats.js';
export { summarizeStudy, verificationTotals } from './aggregate.js';
export { studyNetwork, studyData, hiddenLayers } from './network.js';
export { CACHE_DIR, readCached } from './cache.js';
export { defaultJobs } from './pool.js';
export { STUDY_FIGURES, deadFigure, studyLabel, renderStudyFigures } from './figures.js';
export { renderStudyMarkdown } from './report-md.js';
export { PAPER_RESULTS, PAPER_ALPHA, verdictText, signText } from './verdict.js';
