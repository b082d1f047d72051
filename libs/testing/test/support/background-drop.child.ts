import { backgroundDropsSettled, DatabaseAdmin } from '../../src/database/database-admin.js';

// A process whose last work is a background drop, as a jest worker's is after its last test file: it
// should exit on its own once the drop is sent, without waiting for the server to finish it. With `await`, it
// waits for the drop as the demo and the benches do before writing their reports, and says so once it settled.
const [serverUrl, database, mode] = process.argv.slice(2);
new DatabaseAdmin(serverUrl!).dropInBackground(database!);
if (mode === 'await') {
  await backgroundDropsSettled();
  console.log('drops settled');
}
