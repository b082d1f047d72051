import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the browser loads the vendored modules from: the version is in the path, so a URL never changes meaning. */
const ASSETS_PATH = '/edit/assets';

/** One npm package the editor page runs in the browser, served from node_modules as the app has it installed. */
interface VendoredPackage {
  /** `name@version`: the path segment the page's import map names. */
  pinned: string;
  directory: string;
  /** Files the page may load, and the bare specifiers (as the modules import them) that point at each. */
  files: Map<string, string[]>;
}

const require = createRequire(import.meta.url);

function vendored(name: string, subdirectory: string, files: Map<string, string[]>): VendoredPackage {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { pinned: `${name}@${version}`, directory: join(dirname(manifest), subdirectory), files };
}

/** lib0's browser modules and the files they import beside them (one folder down, e.g. trait/equality.js). */
function lib0Modules(): Map<string, string[]> {
  const directory = dirname(require.resolve('lib0/package.json'));
  const browserModule = (file: string) =>
    file.endsWith('.js') && !/\.(node|deno|react-native|test)\.js$|^test\.js$/.test(file);
  const modules = new Map<string, string[]>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    // Each `lib0/x` is `x.js` at the top level; other runtimes' variants, tests and scripts are left out.
    if (entry.isFile() && browserModule(entry.name))
      modules.set(entry.name, [`lib0/${entry.name.slice(0, -3)}`, `lib0/${entry.name}`]);
    else if (entry.isDirectory() && !['bin', 'dist', 'node_modules'].includes(entry.name))
      for (const file of readdirSync(join(directory, entry.name)).filter(browserModule))
        modules.set(`${entry.name}/${file}`, []);
  }
  return modules;
}

/**
 * The page's code from npm, unbundled: Yjs (its ES module build), y-protocols' sync and awareness, and the lib0
 * modules they import. The browser resolves their bare imports (`lib0/encoding`) through the import map below;
 * lib0's own relative imports resolve beside them.
 */
const PACKAGES: readonly VendoredPackage[] = [
  vendored('yjs', 'dist', new Map([['yjs.mjs', ['yjs']]])),
  vendored(
    'y-protocols',
    '.',
    new Map([
      ['sync.js', ['y-protocols/sync']],
      ['awareness.js', ['y-protocols/awareness']],
    ]),
  ),
  vendored('lib0', '.', lib0Modules()),
];

/** The page's import map: every bare specifier the vendored modules (and the page script) import. */
export function importMap(): string {
  const imports: Record<string, string> = {};
  for (const { pinned, files } of PACKAGES)
    for (const [file, specifiers] of files)
      for (const specifier of specifiers) imports[specifier] = `${ASSETS_PATH}/${pinned}/${file}`;
  return JSON.stringify({ imports });
}

/** The text of one vendored module (`file` may be `folder/name.js`), or undefined when it is none the page may load. */
export function vendoredModule(pinned: string, file: string): string | undefined {
  const known = PACKAGES.find((candidate) => candidate.pinned === pinned);
  if (known === undefined || !known.files.has(file)) return undefined;
  return readFileSync(join(known.directory, file), 'utf8');
}
