import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'translation', rootDir: import.meta.dirname };
