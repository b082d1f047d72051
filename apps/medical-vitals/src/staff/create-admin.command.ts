import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { buildDataSource } from '../database/data-source.factory.js';
import { runMigrations } from '../database/run-migrations.js';
import { StaffService } from './staff.service.js';

/*
 * The first hospital admin: there is no default account and no default password. Whoever runs the
 * deployment creates it; later accounts come from POST /staff (hospital admins only).
 *   npm run create-admin -- --email a@hospital.example --name 'Ada Admin' --password '≥ 12 chars' [--hospital <uuid>]
 */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    hospital: { type: 'string' },
  },
});
if (!values.email || !values.name || !values.password || values.password.length < 12) {
  process.stderr.write('usage: --email <email> --name <name> --password <≥ 12 chars> [--hospital <uuid>]\n');
  process.exit(2);
}
const config = loadConfigOrExit();
await runMigrations(config);
const dataSource = await buildDataSource({
  ...config,
  database: { ...config.database, poolMax: 1, poolMin: 0 },
}).initialize();
try {
  const admin = await new StaffService(dataSource).create({
    hospitalId: values.hospital ?? randomUUID(),
    email: values.email,
    name: values.name,
    role: 'hospital_admin',
    password: values.password,
    wardIds: [],
  });
  process.stdout.write(`hospital admin created: ${admin.id} ${admin.email} hospital ${admin.hospitalId}\n`);
} finally {
  await dataSource.destroy();
}
