/** The primary's pg pool (the DataSource's own): raw SQL on the write path, partition maintenance. */
export const PRIMARY_POOL = Symbol('PRIMARY_POOL');
