import type { LifecycleRule } from '@aws-sdk/client-s3';
import { defineFinding, type Measurement } from '@remedy/testing';
import { readFile } from 'node:fs/promises';
import { MediaBucket } from '../src/archives/media-bucket.js';
import { lifecycleProblems } from './support/lifecycle-rules.js';

const RULES_FILE = new URL('../../../infra/s3/live-streaming-media-lifecycle.json', import.meta.url);
const SOME_STREAM = '00000000-0000-4000-8000-000000000000';

type Flaw =
  'Glacier after 90 days' | 'transitions out of order' | 'no multipart abort' | 'archives prefix missed';

interface Configuration {
  Rules: LifecycleRule[];
}

const archiveRule = (configuration: Configuration) =>
  configuration.Rules.find((rule) => rule.ID === 'archives-tier-down')!;

/** Each put-back edits the parsed rules the way a plausible mistake (or the review's design) would leave them. */
const BREAK: Record<Flaw, (configuration: Configuration) => void> = {
  'Glacier after 90 days': (configuration) => {
    archiveRule(configuration).Transitions!.at(-1)!.StorageClass = 'GLACIER';
  },
  'transitions out of order': (configuration) => {
    archiveRule(configuration).Transitions!.reverse();
  },
  'no multipart abort': (configuration) => {
    configuration.Rules = configuration.Rules.filter((rule) => !rule.AbortIncompleteMultipartUpload);
  },
  'archives prefix missed': (configuration) => {
    archiveRule(configuration).Filter = { Prefix: 'archive/' };
  },
};

async function measure(run: 'remediated' | Flaw): Promise<Measurement> {
  const configuration = JSON.parse(await readFile(RULES_FILE, 'utf8')) as Configuration;
  if (run !== 'remediated') BREAK[run](configuration);
  // The keys the service itself writes: the worker's archive files and the media server's recordings.
  const problems = lifecycleProblems(configuration, {
    archive: MediaBucket.archiveKey(SOME_STREAM, 'master.m3u8'),
    recording: MediaBucket.recordingKey(SOME_STREAM),
  });
  return {
    value: problems.length,
    details: {
      rules: 'infra/s3/live-streaming-media-lifecycle.json',
      'rules in the file': configuration.Rules.length,
      ...(problems.length > 0 ? { problems: problems.join('; ') } : {}),
    },
  };
}

export default defineFinding({
  id: 'livestream:I2',
  title: 'Archive tiering to Glacier with no retrieval strategy',
  kind: 'design',
  why:
    'Lifecycle transitions happen inside S3 over days and months, and the S3 emulator accepts any lifecycle ' +
    'configuration without storing or applying it. The policy is a file in the shape S3 takes ' +
    '(PutBucketLifecycleConfiguration); the proof checks it against S3’s constraints and the keys the app writes.',
  explanation:
    'The design moved archives to Glacier after 90 days and said nothing about watching one afterwards: in Glacier ' +
    'Flexible Retrieval an object must be restored (3–5 hours) before GetObject reads it. The rules tier archives ' +
    'to Standard-IA at 30 days and Glacier Instant Retrieval at 90 (millisecond reads, so the playback route serves ' +
    'old archives as it serves new ones), delete them at 730 days, delete source recordings at 14 days and abort ' +
    'multipart uploads left incomplete for a day.',
  fix: ['../../infra/s3/live-streaming-media-lifecycle.json', '../../infra/s3/README.md'],
  seam: 'the rule file infra/s3/live-streaming-media-lifecycle.json; each put-back edits the parsed rules before the checks',
  flawsPutBack: {
    'Glacier after 90 days':
      "archives' last transition to GLACIER (Flexible Retrieval), as the design had it",
    'transitions out of order': 'the Glacier IR transition before the Standard-IA one',
    'no multipart abort': 'no rule aborting incomplete multipart uploads',
    'archives prefix missed': "the tiering rule's prefix `archive/`, which no key the app writes starts with",
  },
  metric: { name: 'lifecycle rule problems', unit: 'problems', better: 'lower' },
  measure,
  remediated: (problems) => problems === 0,
});
