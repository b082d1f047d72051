import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'pagination', rootDir: import.meta.dirname };
