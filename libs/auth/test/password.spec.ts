import { expect, test } from '@jest/globals';
import { hashPassword, verifyPassword } from '../src/index.js';

test('a password verifies against its own hash only', async () => {
  const hash = await hashPassword('correct horse battery staple');
  expect(hash.startsWith('scrypt$16384$8$1$')).toBe(true);
  await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
  await expect(verifyPassword('correct horse battery stapl', hash)).resolves.toBe(false);
  await expect(verifyPassword('anything', 'not-a-hash')).resolves.toBe(false);
});

test('two hashes of one password differ (random salt)', async () => {
  expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
});
