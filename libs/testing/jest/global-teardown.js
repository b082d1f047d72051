import '../../../scripts/register.js';

const { default: globalTeardown } = await import('../src/jest/global-teardown.ts');

export default globalTeardown;
