import { createServer, type Server } from 'node:http';
import pg from 'pg';

/*
 * The reviewed stack (Section 2) names PostgreSQL but no connection pooling: "each API request may open
 * new connection without pooling". This is that API: GET /events/:id opens a connection, runs its query and
 * closes it, so concurrent requests mean concurrent connections, up to whatever the server refuses.
 */
export function startConnectionPerRequestApi(
  connectionString: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const id = request.url?.split('/')[2] ?? '';
    const client = new pg.Client({ connectionString, application_name: 'kata-s-4' });
    client
      .connect()
      .then(() => client.query('SELECT * FROM events WHERE id = $1', [id]))
      .then((result) => {
        response.writeHead(result.rows.length > 0 ? 200 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify(result.rows[0] ?? null));
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: String(error) }));
      })
      .finally(() => {
        void client.end().catch(() => undefined);
      });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      });
    });
  });
}
