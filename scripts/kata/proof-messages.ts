/** `learner`: the flawed run, with the learner's copies in place of the kata files. `reference`: the service as shipped. */
export type ProofRun = 'learner' | 'reference';

export interface ProofRequest {
  app: string;
  id: string;
  runs: ProofRun[];
}

export interface ProofResult {
  run: ProofRun;
  value: number;
  details: Record<string, number | string>;
  seconds: number;
  /** The finding's `remediated` predicate accepts the value: the flaw is gone. */
  passed: boolean;
}

/** What the measuring child sends its parent, in order: log lines, one result per run, or an error. */
export type ProofMessage =
  | { type: 'log'; line: string }
  | { type: 'result'; result: ProofResult }
  | { type: 'error'; message: string };
