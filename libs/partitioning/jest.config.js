import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'partitioning', rootDir: import.meta.dirname };
