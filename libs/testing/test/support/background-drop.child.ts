import { DatabaseAdmin } from '../../src/database/database-admin.js';

// A process whose last work is a background drop, as a jest worker's is after its last test file: it
// should exit on its own once the drop is sent, without waiting for the server to finish it.
const [serverUrl, database] = process.argv.slice(2);
new DatabaseAdmin(serverUrl!).dropInBackground(database!);
