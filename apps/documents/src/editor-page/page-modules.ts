import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';

/** Where the browser loads the vendored modules from: the version is in the path, so a URL never changes meaning. */
const ASSETS_PATH = '/edit/assets';

/** One npm package the editor page runs in the browser, served from node_modules as the app has it installed. */
interface VendoredPackage {
  /** `name@version` (`@scope/name@version` for a scoped package): the path the page's import map names. */
  pinned: string;
  directory: string;
  /** Files the page may load, and the bare specifiers (as the modules import them) that point at each. */
  files: Map<string, string[]>;
}

interface PackageManifest {
  version: string;
  module?: string;
  exports?: { import?: string; '.'?: { import?: string } };
}

const require = createRequire(import.meta.url);

/**
 * A package's manifest and folder, looked up in the node_modules folders Node would search: most CodeMirror
 * packages export no `./package.json` and y-protocols no main entry, so neither can be resolved by name.
 */
function manifestOf(name: string): { manifest: PackageManifest; root: string } {
  for (const folder of require.resolve.paths(name) ?? []) {
    const path = join(folder, name, 'package.json');
    if (existsSync(path))
      return { manifest: JSON.parse(readFileSync(path, 'utf8')) as PackageManifest, root: dirname(path) };
  }
  throw new Error(`${name} is not installed`);
}

function vendored(name: string, subdirectory: string, files: Map<string, string[]>): VendoredPackage {
  const { manifest, root } = manifestOf(name);
  return { pinned: `${name}@${manifest.version}`, directory: join(root, subdirectory), files };
}

/**
 * A package whose ES module entry (its `exports` import condition) is the page's `import … from name`, plus the
 * files beside the entry that it imports relatively (`siblings`). Every CodeMirror package is one such file.
 */
function esModulePackage(name: string, siblings: readonly string[] = []): VendoredPackage {
  const { manifest } = manifestOf(name);
  const entry = manifest.exports?.['.']?.import ?? manifest.exports?.import ?? manifest.module;
  if (entry === undefined) throw new Error(`${name} names no ES module entry`);
  const files = new Map<string, string[]>([[posix.basename(entry), [name]]]);
  for (const sibling of siblings) files.set(sibling, []);
  return vendored(name, posix.dirname(entry), files);
}

/** lib0's browser modules and the files they import beside them (one folder down, e.g. trait/equality.js). */
function lib0Modules(): Map<string, string[]> {
  const directory = manifestOf('lib0').root;
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
 * The page's code from npm, unbundled: Yjs (its ES module build), y-protocols' sync and awareness, the lib0
 * modules they import, and the editor: CodeMirror 6 (state, view, commands and what they import) bound to the
 * Yjs text by y-codemirror.next. The browser resolves their bare imports (`lib0/encoding`, `@codemirror/state`)
 * through the import map below; relative imports resolve beside the importing file.
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
  esModulePackage('@codemirror/state'),
  esModulePackage('@codemirror/view'),
  esModulePackage('@codemirror/commands'),
  esModulePackage('@codemirror/language'),
  esModulePackage('@codemirror/streamparser'),
  esModulePackage('@lezer/common'),
  esModulePackage('@lezer/highlight'),
  esModulePackage('@marijn/find-cluster-break'),
  esModulePackage('crelt'),
  esModulePackage('style-mod'),
  esModulePackage('w3c-keyname'),
  esModulePackage('y-codemirror.next', [
    'y-sync.js',
    'y-remote-selections.js',
    'y-undomanager.js',
    'y-range.js',
  ]),
];

/** The page's import map: every bare specifier the vendored modules (and the page script) import. */
export function importMap(): string {
  const imports: Record<string, string> = {};
  for (const { pinned, files } of PACKAGES)
    for (const [file, specifiers] of files)
      for (const specifier of specifiers) imports[specifier] = `${ASSETS_PATH}/${pinned}/${file}`;
  return JSON.stringify({ imports });
}

/**
 * The text of one vendored module at `path` below the assets path (`<pinned>/<file>`, the file possibly one
 * folder down), or undefined when it is none the page may load: only the listed files are looked up.
 */
export function vendoredModule(path: string): string | undefined {
  for (const { pinned, directory, files } of PACKAGES) {
    if (!path.startsWith(`${pinned}/`)) continue;
    const file = path.slice(pinned.length + 1);
    return files.has(file) ? readFileSync(join(directory, file), 'utf8') : undefined;
  }
  return undefined;
}
