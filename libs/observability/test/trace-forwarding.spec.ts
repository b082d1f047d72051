import { currentTraceparent, runInLinkedSpan } from '../src/tracing/tracing.js';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context with tracing off', () => {
  it('forwards a valid traceparent unchanged through async work, and nothing outside it', async () => {
    const seen = await runInLinkedSpan('stage', { parent: PARENT }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentTraceparent();
    });
    expect(seen).toBe(PARENT);
    expect(currentTraceparent()).toBe('');
  });

  it('forwards nothing that is not a W3C traceparent', async () => {
    for (const parent of ['', 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `${PARENT}\r\nx: y`])
      expect(await runInLinkedSpan('stage', { parent }, () => Promise.resolve(currentTraceparent()))).toBe(
        '',
      );
  });
});
