import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'documents', rootDir: import.meta.dirname };
