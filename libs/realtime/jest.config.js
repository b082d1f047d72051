import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'realtime', rootDir: import.meta.dirname };
