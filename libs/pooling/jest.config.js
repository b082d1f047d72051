import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'pooling', rootDir: import.meta.dirname };
