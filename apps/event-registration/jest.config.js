import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'event-registration', rootDir: import.meta.dirname };
