import { registerFindingTests } from '@remedy/testing';
import suite from '../findings/index.js';

// The proofs take minutes: two files, so jest's workers share them (see registerFindingTests).
registerFindingTests(suite, { part: 2, of: 2 });
