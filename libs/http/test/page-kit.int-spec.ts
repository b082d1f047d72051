import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiErrorFilter, PageKitController, withPageKit } from '../src/index.js';

@Module({
  controllers: [PageKitController],
  providers: [{ provide: APP_FILTER, useValue: new ApiErrorFilter() }],
})
class PageKitModule {}

describe('the page kit through a real Nest Fastify app', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(PageKitModule, new FastifyAdapter(), {
      bufferLogs: true,
      abortOnError: false,
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  it('serves its script and stylesheet with their types, revalidated by ETag (304 with no body when unchanged)', async () => {
    for (const [file, type] of [
      ['page-kit.js', 'text/javascript'],
      ['page-kit.css', 'text/css'],
    ] as const) {
      const first = await fetch(`${url}/page-kit/${file}`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain(type);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^".+"$/);
      expect((await first.text()).length).toBeGreaterThan(0);

      const again = await fetch(`${url}/page-kit/${file}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('serves nothing it does not list: other files of its folder, the server side, paths out of it', async () => {
    for (const path of [
      '/page-kit/page-kit-assets.ts',
      '/page-kit/page-kit.controller.ts',
      '/page-kit/..%2Findex.ts',
      '/page-kit/%2E%2E%2Fpackage.json',
      '/page-kit/PAGE-KIT.JS',
    ]) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });

  it("puts the shell's pieces in place of a page's markers, and refuses a marker it has no piece for", () => {
    const page = withPageKit(
      '<head>\n    <!-- page-kit:head -->\n  </head>\n  <header><!-- page-kit:account --></header>',
    );
    expect(page).toContain('<link rel="stylesheet" href="/page-kit/page-kit.css" />');
    expect(page).toContain('<form id="sign-in"');
    expect(page).toContain('<p id="account" hidden>');
    expect(page).not.toContain('page-kit:');
    expect(() => withPageKit('<!-- page-kit:footer -->')).toThrow('the page kit has no piece footer');
  });
});
