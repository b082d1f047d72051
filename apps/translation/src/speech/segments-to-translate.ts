import type { RecognitionResult } from './recognition-result.js';

/**
 * polyglot-b:M-2's second seam: which recognition results are translated into captions. A partial changes
 * with every chunk until its final arrives; translating each would cost a provider call per chunk per language
 * for text about to be replaced.
 */
export abstract class SegmentsToTranslate {
  abstract select(results: readonly RecognitionResult[]): RecognitionResult[];
}

/** Final segments only: one translation per segment and language. */
export class FinalSegmentsOnly extends SegmentsToTranslate {
  select(results: readonly RecognitionResult[]): RecognitionResult[] {
    return results.filter((result) => result.isFinal && result.transcript.trim() !== '');
  }
}
