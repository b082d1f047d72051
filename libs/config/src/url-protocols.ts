/** The URL schemes each kind of endpoint accepts (ConfigReader.url / optionalUrl). */
export const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];
export const REDIS_PROTOCOLS = ['redis:', 'rediss:'];
export const HTTP_PROTOCOLS = ['http:', 'https:'];
