// Runs TypeScript entry points (demo, bench, start) through swc with decorator metadata, which NestJS DI needs.
import { register } from 'node:module';

process.env.SWC_NODE_PROJECT ??= new URL('../tsconfig.json', import.meta.url).pathname;
register('@swc-node/register/esm', import.meta.url);

// The pinned AWS SDK supports Node 20; its notice concerns future SDK releases and would interleave with the
// demo's progress lines. The project pins `engines.node` and will move with the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
