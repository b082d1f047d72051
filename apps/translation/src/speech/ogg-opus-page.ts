/**
 * The speaker's audio: Ogg Opus (RFC 7845), 16 kHz mono, sent one Ogg page per WebSocket binary frame. The
 * page header carries what the pipeline needs: the page sequence number (frames out of order or missing are
 * refused) and the granule position (48 kHz samples at the page's end: the audio time a chunk covers).
 */
export interface OggPage {
  bytes: Buffer;
  sequence: number;
  /** Audio time at the page's end, in ms (0 for the header pages). */
  endMs: number;
  /** The page opens the stream (OpusHead) or closes it (end of stream). */
  first: boolean;
  last: boolean;
}

export interface FrameProblem {
  field: string;
  problem: string;
}

const CAPTURE = Buffer.from('OggS');
const OPUS_HEAD = Buffer.from('OpusHead');
const HEADER_BYTES = 27;
const FLAG_BEGIN = 0x02;
const FLAG_END = 0x04;
/** Opus granule positions count 48 kHz samples whatever the input rate (RFC 7845 §4). */
const GRANULE_PER_MS = 48;
export const SPEECH_SAMPLE_RATE = 16_000;

/** Reads one frame as exactly one Ogg page, or says what is wrong with it. */
export function parseOggPage(frame: Buffer): OggPage | FrameProblem {
  if (frame.length < HEADER_BYTES || !frame.subarray(0, 4).equals(CAPTURE))
    return { field: 'frame', problem: 'not an Ogg page (capture pattern "OggS" missing)' };
  if (frame[4] !== 0) return { field: 'frame', problem: 'unsupported Ogg version' };
  const segments = frame[26] as number;
  let length = HEADER_BYTES + segments;
  for (let i = 0; i < segments && HEADER_BYTES + i < frame.length; i += 1)
    length += frame[HEADER_BYTES + i] as number;
  if (length !== frame.length)
    return {
      field: 'frame',
      problem: `one whole Ogg page per frame (page is ${length} bytes, frame ${frame.length})`,
    };
  const flags = frame[5] as number;
  const granule = frame.readBigInt64LE(6);
  return {
    bytes: frame,
    sequence: frame.readUInt32LE(18),
    endMs: granule > 0n ? Number(granule) / GRANULE_PER_MS : 0,
    first: (flags & FLAG_BEGIN) !== 0,
    last: (flags & FLAG_END) !== 0,
  };
}

/** The stream's first page must be an OpusHead for one channel at 16 kHz: anything else is refused. */
export function opusHeadProblem(page: OggPage): FrameProblem | null {
  const payload = page.bytes.subarray(HEADER_BYTES + (page.bytes[26] as number));
  if (!page.first || !payload.subarray(0, 8).equals(OPUS_HEAD) || payload.length < 19)
    return { field: 'frame', problem: 'the first page must open an Opus stream (OpusHead)' };
  if (payload[9] !== 1) return { field: 'channels', problem: 'mono audio only (1 channel)' };
  if (payload.readUInt32LE(12) !== SPEECH_SAMPLE_RATE)
    return { field: 'sampleRate', problem: `${SPEECH_SAMPLE_RATE} Hz audio only` };
  return null;
}

export function isFrameProblem(value: OggPage | FrameProblem): value is FrameProblem {
  return 'problem' in value;
}
