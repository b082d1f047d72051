// Jest loads globalSetup outside its module system (no moduleNameMapper), so the TypeScript setup is
// loaded through the same swc loader the demo uses.
import '../../../scripts/register.js';

const { default: globalSetup } = await import('../src/jest/global-setup.ts');

export default globalSetup;
