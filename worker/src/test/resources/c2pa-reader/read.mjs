// Prints the C2PA SDK's report on a file as JSON: node read.mjs FILE MIME-TYPE [TRUST-ANCHORS.pem]
import { readFileSync } from 'node:fs';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const wasm = readFileSync(new URL('./node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm', import.meta.url));
initSync({ module: wasm });
const [file, format, anchors] = process.argv.slice(2);
const context = anchors ? JSON.stringify({ trust: { trust_anchors: readFileSync(anchors, 'utf8') } }) : null;
try {
  const reader = await WasmReader.fromBytes(format, new Uint8Array(readFileSync(file)), context);
  console.log(reader.json());
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
}
