import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { invalidField, uuidParam } from '@remedy/http';
import { MASTER_PLAYLIST, RENDITION_FILE_PATTERN } from './archive-files.js';
import { ArchiveRecords, type ArchiveRecord } from './archive-records.js';
import { ArchiveDto } from './archive.dto.js';
import { HLS_LADDER } from './hls-ladder.js';
import { MediaBucket } from './media-bucket.js';

/** What playback does with Fastify's reply (the app does not depend on fastify's types). */
interface MediaReply {
  header(name: string, value: string): MediaReply;
  send(body: unknown): unknown;
}

const RENDITIONS = HLS_LADDER.map((rung) => rung.name);

/**
 * An ended stream's archive (livestream:S5): its status for the streamer and viewers, and playback. Playback is
 * served through the API from the bucket rather than by presigned URLs: the playlists name their files by
 * relative path, which a presigned master could not sign, and the access token travels in the Authorization
 * header (hls.js sends it), never in a URL. A CDN in front may cache the files: a ready archive never changes.
 */
@ApiTags('archives')
@ApiBearerAuth()
@Controller('streams/:id/archive')
export class ArchivesController {
  constructor(
    private readonly records: ArchiveRecords,
    private readonly bucket: MediaBucket,
  ) {}

  @Get()
  @ApiOperation({ summary: "An ended stream's archive: status, attempts, and its playlists once ready" })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: ArchiveDto })
  @ApiNotFoundResponse({ description: 'No archive: the stream is unknown or still live' })
  async status(@Param('id', uuidParam('id')) id: string): Promise<ArchiveDto> {
    return toDto(await this.archive(id));
  }

  @Get(MASTER_PLAYLIST)
  @ApiOperation({ summary: 'The HLS master playlist of a ready archive' })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiProduces('application/vnd.apple.mpegurl')
  @ApiOkResponse({ description: 'The master playlist' })
  @ApiNotFoundResponse({ description: 'No ready archive' })
  async master(@Param('id', uuidParam('id')) id: string, @Res() reply: MediaReply): Promise<void> {
    await this.serve(id, MASTER_PLAYLIST, reply);
  }

  @Get(':rendition/:file')
  @ApiOperation({ summary: "A rendition's media playlist or segment, as the playlists name them" })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiParam({ name: 'rendition', enum: RENDITIONS })
  @ApiParam({ name: 'file', schema: { type: 'string', pattern: RENDITION_FILE_PATTERN.source } })
  @ApiProduces('application/vnd.apple.mpegurl', 'video/mp2t')
  @ApiOkResponse({ description: 'The playlist or segment' })
  @ApiBadRequestResponse({ description: 'Not a rendition or file an archive holds' })
  @ApiNotFoundResponse({ description: 'No ready archive, or no such segment' })
  async file(
    @Param('id', uuidParam('id')) id: string,
    @Param('rendition') rendition: string,
    @Param('file') file: string,
    @Res() reply: MediaReply,
  ): Promise<void> {
    if (!RENDITIONS.includes(rendition))
      throw invalidField('rendition', `must be one of ${RENDITIONS.join(', ')}`);
    if (!RENDITION_FILE_PATTERN.test(file))
      throw invalidField('file', 'must be index.m3u8 or segment-NNN.ts');
    await this.serve(id, `${rendition}/${file}`, reply);
  }

  private async archive(id: string): Promise<ArchiveRecord> {
    const archive = await this.records.find(id);
    if (archive === undefined) throw new NotFoundException('this stream has no archive');
    return archive;
  }

  private async serve(id: string, path: string, reply: MediaReply): Promise<void> {
    if ((await this.archive(id)).status !== 'ready') throw new NotFoundException('the archive is not ready');
    const object = await this.bucket.openArchiveFile(id, path);
    if (object === undefined) throw new NotFoundException('the archive has no such file');
    reply
      .header('content-type', object.contentType)
      .header('cache-control', 'private, max-age=86400, immutable');
    if (object.contentLength !== undefined) reply.header('content-length', String(object.contentLength));
    reply.send(object.body);
  }
}

function toDto(archive: ArchiveRecord): ArchiveDto {
  const base = `/streams/${archive.streamId}/archive`;
  const ready = archive.status === 'ready';
  return {
    streamId: archive.streamId,
    status: archive.status,
    attempts: archive.attempts,
    updatedAt: archive.updatedAt.toISOString(),
    masterPlaylistUrl: ready ? `${base}/${MASTER_PLAYLIST}` : null,
    renditions: ready
      ? archive.renditions.map((rendition) => ({
          name: rendition.name,
          playlistUrl: `${base}/${rendition.playlist}`,
        }))
      : [],
  };
}
