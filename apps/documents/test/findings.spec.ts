import { registerFindingTests } from '@remedy/testing';
import suite from '../findings/index.js';

registerFindingTests(suite);
