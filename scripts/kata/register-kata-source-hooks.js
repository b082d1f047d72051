// Imported through NODE_OPTIONS by the kata runner: serves each kata file named in REMEDY_KATA_COPIES (JSON:
// kata file URL → the learner's copy) from the learner's copy, in this process and every Node child it starts.
import { register } from 'node:module';

const copies = JSON.parse(process.env.REMEDY_KATA_COPIES ?? '{}');
register('./kata-source-hooks.js', import.meta.url, { data: { copies } });
