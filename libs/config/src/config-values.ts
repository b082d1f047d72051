/** The environment as strings: `process.env`, or a test's own object for an isolated database and Redis prefix. */
export type ConfigValues = Readonly<Record<string, string | undefined>>;
