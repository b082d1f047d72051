// temporary walkthrough helper (not committed): node .walk-type.mjs <api> <token> <doc> <text|--watch>
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
const [api, token, documentId, text] = process.argv.slice(2);
const doc = new Y.Doc();
const ws = new WebSocket(api.replace(/^http/, 'ws') + '/collab');
const send = (m) => ws.send(JSON.stringify({ type: 'sync', documentId, data: Buffer.from(m).toString('base64') }));
doc.on('update', (u, origin) => { if (origin === 'server') return; const e = encoding.createEncoder(); syncProtocol.writeUpdate(e, u); send(encoding.toUint8Array(e)); });
ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
ws.on('message', (raw) => {
  const f = JSON.parse(raw.toString());
  if (f.type === 'authenticated') ws.send(JSON.stringify({ type: 'open', documentId }));
  if (f.type === 'opened') { const e = encoding.createEncoder(); syncProtocol.writeSyncStep1(e, doc); send(encoding.toUint8Array(e)); }
  if (f.type === 'sync') {
    const e = encoding.createEncoder();
    const kind = syncProtocol.readSyncMessage(decoding.createDecoder(Buffer.from(f.data, 'base64')), e, doc, 'server');
    if (encoding.length(e) > 0) send(encoding.toUint8Array(e));
    if (text === '--watch') console.log('text now:', JSON.stringify(doc.getText('content').toString()));
    else if (kind === syncProtocol.messageYjsSyncStep2) { const t = doc.getText('content'); doc.transact(() => { t.delete(0, t.length); t.insert(0, text); }); }
  }
  if (f.type === 'saved' && text !== '--watch') { console.log('saved:', JSON.stringify(doc.getText('content').toString())); ws.close(); }
  if (f.type === 'error') console.log(f);
});
