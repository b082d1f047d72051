import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { uuidParam, withPageKit } from '@remedy/http';
import { Public } from '../auth/public.decorator.js';

const PAGE = withPageKit(readFileSync(new URL('./public/viewer.html', import.meta.url), 'utf8'));
const SCRIPT = readFileSync(new URL('./public/viewer-page.js', import.meta.url), 'utf8');

/**
 * The page, its script and the page kit may load nothing but this origin's files, talk only to this origin (REST
 * and /chat), and never be framed; inline styles are the page's own stylesheet.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The viewer page: static HTML, its script and the page kit's (the sign-in, the status line and the reconnecting
 * socket every app's page shares, from @remedy/http). `/watch` lists the live streams (the public, CDN-cached
 * GET /streams/live); `/watch/:streamId` is one stream with its chat (WebSocket /chat) and viewer count.
 * Public on purpose: the HTML and script are the same for everyone and hold no data; the script signs the
 * viewer in through /auth before it loads a stream, and keeps the tokens in the tab's sessionStorage, never
 * in a URL.
 */
@Public()
@ApiTags('viewer page')
@ApiProduces('text/html')
@Controller()
export class ViewerPageController {
  @Get('watch')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @ApiOperation({ summary: 'The viewer page: live streams (HTML, public)' })
  @ApiOkResponse({ description: 'The page', content: { 'text/html': {} } })
  liveStreams(): string {
    return PAGE;
  }

  @Get('watch/:streamId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @ApiOperation({ summary: 'The viewer page: one stream with its chat and viewer count (HTML, public)' })
  @ApiParam({ name: 'streamId', type: 'string', format: 'uuid' })
  @ApiOkResponse({
    description: 'The page; the script reads the stream id from the URL',
    content: { 'text/html': {} },
  })
  stream(@Param('streamId', uuidParam('streamId')) _streamId: string): string {
    return PAGE;
  }

  @Get('viewer-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @ApiOperation({ summary: "The viewer page's script (public)" })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The script', content: { 'text/javascript': {} } })
  script(): string {
    return SCRIPT;
  }
}
