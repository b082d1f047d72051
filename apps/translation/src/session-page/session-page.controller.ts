import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { uuidParam, withPageKit } from '@remedy/http';
import { Public } from '../auth/public.decorator.js';

const PAGE = withPageKit(readFileSync(new URL('./public/session.html', import.meta.url), 'utf8'));
const SCRIPT = readFileSync(new URL('./public/session-page.js', import.meta.url), 'utf8');

/**
 * The page, its script and the page kit may load nothing but this origin's files, talk only to this origin (REST
 * and /chat), and never be framed; inline styles are the page's own stylesheet.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The session page: static HTML, its script and the page kit's (the sign-in, the status line and the
 * reconnecting socket every app's page shares, from @remedy/http). `/room` lists the caller's sessions; `/room/:sessionId` is one
 * session: join it in a language, chat (WebSocket /chat) with everyone's messages in that language, captions.
 * Public on purpose: the HTML and script are the same for everyone and hold no data; the script signs the
 * participant in through /auth before it loads anything, keeps the tokens in the tab's sessionStorage and sends
 * the access token as /chat's first message, never in a URL (polyglot-b:I-1).
 */
@Public()
@ApiTags('session page')
@ApiProduces('text/html')
@Controller()
export class SessionPageController {
  @Get('room')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @ApiOperation({ summary: 'The session page: your sessions (HTML, public)' })
  @ApiOkResponse({ description: 'The page', content: { 'text/html': {} } })
  sessions(): string {
    return PAGE;
  }

  @Get('room/:sessionId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @ApiOperation({ summary: 'The session page: one session, its chat and captions (HTML, public)' })
  @ApiParam({ name: 'sessionId', type: 'string', format: 'uuid' })
  @ApiOkResponse({
    description: 'The page; the script reads the session id from the URL',
    content: { 'text/html': {} },
  })
  session(@Param('sessionId', uuidParam('sessionId')) _sessionId: string): string {
    return PAGE;
  }

  @Get('session-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @ApiOperation({ summary: "The session page's script (public)" })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The script', content: { 'text/javascript': {} } })
  script(): string {
    return SCRIPT;
  }
}
