/** How a package's databases are prepared: its name and how to migrate an empty database to its schema. */
export interface PackageHarness {
  name: string;
  migrate?: (databaseUrl: string) => Promise<void>;
}
