import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NotFoundException } from '@nestjs/common';
import { ifNoneMatchHits } from '../conditional-get.js';

/** One file of the kit as it is served: its text, type and a strong ETag of its text. */
interface PageKitAsset {
  body: string;
  contentType: string;
  etag: string;
}

/**
 * The kit's files a page may load, by the name in their URL (`/page-kit/<name>`): nothing else is served. The
 * script is an ES module the page scripts import (`/page-kit/page-kit.js`), so the policy's `script-src 'self'`
 * covers it; the stylesheet is linked from the page's head.
 */
const SERVED: ReadonlyArray<readonly [file: string, contentType: string]> = [
  ['page-kit.js', 'text/javascript; charset=utf-8'],
  ['page-kit.css', 'text/css; charset=utf-8'],
];

const ASSETS: ReadonlyMap<string, PageKitAsset> = new Map(
  SERVED.map(([file, contentType]): [string, PageKitAsset] => {
    const body = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    return [file, { body, contentType, etag }];
  }),
);

/** What serving an asset does with Fastify's reply (the library does not depend on fastify's types). */
export interface PageKitReply {
  header(name: string, value: string): PageKitReply;
  status(code: number): PageKitReply;
  send(body?: string): unknown;
}

/**
 * Answers a GET of the kit's `file`: a 404 (thrown, so the app's error body) for a name the kit does not list, else the file revalidated by its ETag
 * (`no-cache`: a browser keeps its copy and asks each time, a 304 with no body while the kit is unchanged).
 */
export function sendPageKitAsset(file: string, ifNoneMatch: string | undefined, reply: PageKitReply): void {
  const asset = ASSETS.get(file);
  if (asset === undefined) throw new NotFoundException(`no file ${file} in the page kit`);
  reply.header('cache-control', 'no-cache').header('etag', asset.etag);
  if (ifNoneMatchHits(ifNoneMatch, asset.etag)) {
    reply.status(304).send();
    return;
  }
  reply.status(200).header('content-type', asset.contentType).send(asset.body);
}

/**
 * A page's HTML with the kit's shell in place of its markers: `<!-- page-kit:head -->` (charset, viewport and
 * the kit's stylesheet, before the page's title and own styles) and `<!-- page-kit:account -->` (the header's
 * sign-in form and the signed-in line with the sign-out button, which the kit's script drives).
 */
export function withPageKit(html: string): string {
  const pieces: Record<string, string> = {
    head: [
      '<meta charset="utf-8" />',
      '<meta name="viewport" content="width=device-width, initial-scale=1" />',
      '<link rel="stylesheet" href="/page-kit/page-kit.css" />',
    ].join('\n    '),
    account: [
      '<form id="sign-in" aria-label="Sign in">',
      '  <label for="email">E-mail</label>',
      '  <input id="email" type="email" autocomplete="username" required />',
      '  <label for="password">Password</label>',
      '  <input id="password" type="password" autocomplete="current-password" required />',
      '  <button type="submit">Sign in</button>',
      '</form>',
      '<p id="account" hidden>',
      '  Signed in as <span id="who"></span> <button id="sign-out" type="button">Sign out</button>',
      '</p>',
    ].join('\n      '),
  };
  return html.replace(/<!-- page-kit:(\w+) -->/g, (marker, name: string) => {
    const piece = pieces[name];
    if (piece === undefined) throw new Error(`the page kit has no piece ${name}`);
    return piece;
  });
}
