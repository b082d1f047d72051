import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'medical-vitals', rootDir: import.meta.dirname };
