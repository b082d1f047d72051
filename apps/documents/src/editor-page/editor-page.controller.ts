import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { uuidParam, withPageKit } from '@remedy/http';
import { Public } from '../auth/public.decorator.js';
import { importMap, vendoredModule } from './page-modules.js';

const PAGE = withPageKit(readFileSync(new URL('./public/editor.html', import.meta.url), 'utf8')).replace(
  '{{importMap}}',
  importMap(),
);
/** The import map as the page carries it (whitespace included): the policy admits exactly this inline script. */
const INLINE_IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/.exec(PAGE)?.[1] ?? '';
const SCRIPT = readFileSync(new URL('./public/editor-page.js', import.meta.url), 'utf8');

/**
 * Scripts: this origin's files and the one inline script, the import map (by its hash). The page talks only to
 * this origin (REST and /collab) and is never framed; inline styles are the page's own stylesheet.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${createHash('sha256').update(INLINE_IMPORT_MAP).digest('base64')}'`,
  "connect-src 'self' ws: wss:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The editor page: HTML, its script, the page kit's (the sign-in, the status line, the socket's first message and
 * backoff every app's page shares, from @remedy/http) and the npm modules it runs (CodeMirror, Yjs and their
 * imports) at pinned paths.
 * `/edit` lists the organisation's documents and searches them; `/edit/:documentId` co-edits one over /collab.
 * Public on purpose: the files are code, the same for everyone, holding no data. The script signs in through
 * /auth, keeps the tokens in the tab's sessionStorage, reads data only through the authenticated API and sends
 * the token to /collab in its first message, never in a URL.
 */
@Public()
@ApiExcludeController()
@Controller('edit')
export class EditorPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  documents(): string {
    return PAGE;
  }

  @Get('editor-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return SCRIPT;
  }

  @Get(':documentId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  document(@Param('documentId', uuidParam('documentId')) _documentId: string): string {
    return PAGE;
  }

  /** A vendored module (`<name>@<version>/<file>`); its path names the package's version, so it may be cached for good. */
  @Get('assets/*')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  module(@Param('*') path: string): string {
    const text = vendoredModule(path);
    if (text === undefined) throw new NotFoundException(`no module ${path} on this page`);
    return text;
  }
}
