import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { sendPageKitAsset, type PageKitReply } from './page-kit-assets.js';

/**
 * The page kit's files at `/page-kit/<name>` (only those the kit lists), for an app whose browser pages use the
 * kit: its page module lists this controller. Public on purpose, like /health: the files are code, the same for
 * everyone, holding no data; the app's global guard lets this library controller through by its class.
 */
@Controller('page-kit')
export class PageKitController {
  @Get(':file')
  asset(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: PageKitReply,
  ): void {
    sendPageKitAsset(file, ifNoneMatch, reply);
  }
}
