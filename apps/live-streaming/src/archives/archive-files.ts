/**
 * The files an archive holds: `master.m3u8` at its root and, per rendition of the ladder, `<name>/index.m3u8`
 * and its segments `<name>/segment-NNN.ts` (what ffmpeg's HLS muxer writes with the arguments of
 * hls-ladder.ts). Playback requests are checked against these shapes before anything reaches S3.
 */
export const MASTER_PLAYLIST = 'master.m3u8';
export const RENDITION_FILE_PATTERN = /^(?:index\.m3u8|segment-\d{3,6}\.ts)$/;

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}
