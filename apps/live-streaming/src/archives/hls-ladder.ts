/** One rendition of the archive's HLS ladder. */
export interface LadderRung {
  name: string;
  /** Output height; the width follows the source's aspect ratio. Absent for the audio-only rendition. */
  height?: number;
  videoBitrate?: string;
}

/**
 * 720p and 480p with AAC audio, and audio only (for a player on a poor connection; hls.js skips it when video
 * renditions exist, native players may pick it). H.264 + AAC in MPEG-TS segments plays in every HLS player and
 * in Chromium through hls.js (MSE).
 */
export const HLS_LADDER: readonly LadderRung[] = [
  { name: '720p', height: 720, videoBitrate: '2500k' },
  { name: '480p', height: 480, videoBitrate: '1000k' },
  { name: 'audio' },
];

export const SEGMENT_SECONDS = 2;

/**
 * ffmpeg's arguments for the whole ladder in one process (the source is decoded once): the video is split and
 * scaled per rung, keyframes are forced every segment so every rendition cuts at the same instants (players
 * switch renditions at segment boundaries), and the HLS muxer writes each rung's playlist and segments plus
 * `master.m3u8`. `-threads` bounds the encoder's threads (the review's `-threads 2`).
 */
export function hlsLadderArguments(source: string, outputDir: string, threads: number): string[] {
  const video = HLS_LADDER.filter((rung) => rung.height !== undefined);
  const split = video.map((_, index) => `[v${index}]`).join('');
  const scales = video.map((rung, index) => `[v${index}]scale=-2:${rung.height}[${rung.name}]`);
  const maps: string[] = [];
  const streamMap: string[] = [];
  let audioIndex = 0;
  let videoIndex = 0;
  for (const rung of HLS_LADDER) {
    const entry: string[] = [];
    if (rung.height !== undefined) {
      maps.push('-map', `[${rung.name}]`, `-b:v:${videoIndex}`, rung.videoBitrate ?? '1000k');
      entry.push(`v:${videoIndex}`);
      videoIndex += 1;
    }
    maps.push('-map', '0:a:0');
    entry.push(`a:${audioIndex}`, `name:${rung.name}`);
    audioIndex += 1;
    streamMap.push(entry.join(','));
  }
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    '-i',
    source,
    '-filter_complex',
    [`[0:v]split=${video.length}${split}`, ...scales].join(';'),
    ...maps,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-force_key_frames',
    `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ac',
    '2',
    '-threads',
    String(threads),
    '-f',
    'hls',
    '-hls_time',
    String(SEGMENT_SECONDS),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    `${outputDir}/%v/segment-%03d.ts`,
    '-master_pl_name',
    'master.m3u8',
    '-var_stream_map',
    streamMap.join(' '),
    `${outputDir}/%v/index.m3u8`,
  ];
}
