import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

interface Operation {
  parameters?: { name: string; in: string; schema?: { type?: string; format?: string } }[];
  responses: Record<string, unknown>;
}
type Paths = Record<string, Record<string, Operation>>;

/** The document served at /docs-json, as clients and the fuzz test read it, says what the API does. */
describe('OpenAPI document', () => {
  let testApp: TestApp;
  let paths: Paths;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    paths = ((await (await fetch(`${testApp.url}/docs-json`)).json()) as { paths: Paths }).paths;
  });

  afterAll(() => testApp.close());

  it.each([
    ['/auth/signup', 'post'],
    ['/events/{id}/registrations', 'post'],
    ['/users/organisers', 'post'],
    ['/events', 'post'],
  ])('%s %s documents the 201 it answers', (path, method) => {
    const responses = paths[path]?.[method]?.responses ?? {};
    expect(Object.keys(responses)).toContain('201');
    expect(Object.keys(responses)).not.toContain('200');
  });

  it('marks every {id} path parameter as a UUID', () => {
    const idParameters = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path' && parameter.name === 'id')
          .map((parameter) => ({ at: `${method} ${path}`, format: parameter.schema?.format })),
      ),
    );
    expect(idParameters.length).toBeGreaterThanOrEqual(10);
    expect(idParameters.filter((parameter) => parameter.format !== 'uuid')).toEqual([]);
  });
});
