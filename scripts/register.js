// Runs TypeScript entry points (demo, bench, start) through swc with decorator metadata, which NestJS DI needs.
import { register } from 'node:module';

process.env.SWC_NODE_PROJECT ??= new URL('../tsconfig.json', import.meta.url).pathname;
register('@swc-node/register/esm', import.meta.url);
