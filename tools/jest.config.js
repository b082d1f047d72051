// Tests of the repository's own tooling (lint rules). tools/ is not a workspace package, so the root
// runs this config directly rather than through Nx.
import preset from '../jest.preset.js';

export default { ...preset, displayName: 'tools', rootDir: import.meta.dirname };
