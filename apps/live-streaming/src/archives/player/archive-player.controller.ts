import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '@remedy/http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Public } from '../../auth/public.decorator.js';

const PAGE = readFileSync(new URL('./archive-player.html', import.meta.url), 'utf8');
const HLS_SCRIPT = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');

/**
 * The archive player: a page and hls.js (Chromium has no native HLS; hls.js plays it through Media Source
 * Extensions). Both are public on purpose: they hold no data, only code; the archive itself is behind the
 * access token the page gets by signing in.
 */
@ApiTags('archives')
@Controller('watch')
export class ArchivePlayerController {
  @Public()
  @Get('archive/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: "The player page for a stream's archive (public: the page signs in for the data)",
  })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page' })
  page(@Param('id', uuidParam('id')) _id: string): string {
    return PAGE;
  }

  @Public()
  @Get('assets/hls.min.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  @ApiOperation({ summary: 'hls.js, the HLS player the page runs (public: a library)' })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The script' })
  hlsScript(): string {
    return HLS_SCRIPT;
  }
}
