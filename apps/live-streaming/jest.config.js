import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'live-streaming', rootDir: import.meta.dirname };
