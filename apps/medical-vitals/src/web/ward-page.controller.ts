import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { uuidParam } from '@remedy/http';
import { Public } from '../auth/public.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config.js';

const PAGE = readFileSync(new URL('./public/ward.html', import.meta.url), 'utf8');

/** The ward page's script: how the page gets its data (REST once, then the /live feed). */
export const WARD_PAGE_SCRIPT = Symbol('WARD_PAGE_SCRIPT');
export const wardPageScript = (): string =>
  readFileSync(new URL('./public/ward-page.js', import.meta.url), 'utf8');

/**
 * The live ward page: static HTML and one script; the ward id is read by the script from the URL.
 * Public: the page and script hold no patient data; the script signs the nurse in before it loads any.
 */
@Public()
@ApiExcludeController()
@Controller()
export class WardPageController {
  private readonly html: string;

  constructor(
    @Inject(WARD_PAGE_SCRIPT) private readonly pageScript: string,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // The page judges staleness itself (a silent device sends nothing to be told about), by the config's rule.
    this.html = PAGE.replace('{{staleAfterSeconds}}', String(config.dashboards.staleAfterSeconds));
  }

  @Get('ward/:wardId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header(
    'content-security-policy',
    "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'",
  )
  page(@Param('wardId', uuidParam('wardId', 'per-field')) _wardId: string): string {
    return this.html;
  }

  @Get('ward-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return this.pageScript;
  }
}
