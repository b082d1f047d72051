import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { buildDataSource } from '../database/data-source.factory.js';
import { UsersService } from './users.service.js';

/*
 * Organisers are not self-service: the first one is created by whoever runs the deployment.
 *   node --import ../../scripts/register.js src/users/create-organiser.command.ts \
 *     --email o@example.com --name 'Olivia Organiser' --department Events --password 'a long password'
 */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    department: { type: 'string', default: 'Events' },
    password: { type: 'string' },
  },
});
if (!values.email || !values.name || !values.password || values.password.length < 12) {
  process.stderr.write(
    'usage: --email <email> --name <name> [--department <dept>] --password <≥ 12 chars>\n',
  );
  process.exit(2);
}
const dataSource = await buildDataSource(loadConfig().database, {
  role: 'maintenance',
  poolMax: 1,
}).initialize();
try {
  const user = await new UsersService(dataSource).create({
    email: values.email,
    name: values.name,
    department: values.department ?? 'Events',
    role: 'organiser',
    password: values.password,
  });
  process.stdout.write(`organiser created: ${user.id} ${user.email}\n`);
} finally {
  await dataSource.destroy();
}
