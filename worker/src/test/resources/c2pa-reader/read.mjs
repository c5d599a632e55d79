// Prints the C2PA SDK's report on a file as JSON: node read.mjs FILE MIME-TYPE [TRUST-ANCHORS.pem [ASSET]]
// With ASSET, FILE is ASSET's sidecar (application/c2pa): the SDK has no reader for every format a sidecar may sit
// beside, so the report adds "sidecar": the data hash the SDK decoded from the manifest and ASSET's own SHA-256.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const wasm = readFileSync(new URL('./node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm', import.meta.url));
initSync({ module: wasm });
const [file, format, anchors, asset] = process.argv.slice(2);
const context = anchors ? JSON.stringify({ trust: { trust_anchors: readFileSync(anchors, 'utf8') } }) : null;
try {
  const reader = await WasmReader.fromBytes(format, new Uint8Array(readFileSync(file)), context);
  const report = JSON.parse(reader.json());
  if (asset) {
    const manifests = JSON.parse(reader.crJson()).manifests;
    const active = manifests.find((m) => m.label === reader.activeLabel()) ?? manifests.at(-1);
    const binding = active.assertions['c2pa.hash.data'];
    const declared = binding ? Buffer.from(binding.hash.replace(/^b64'|'$/g, ''), 'base64').toString('hex') : null;
    const actual = createHash('sha256').update(readFileSync(asset)).digest('hex');
    report.sidecar = { declared_sha256: declared, asset_sha256: actual, exclusions: binding ? binding.exclusions.length : null };
  }
  console.log(JSON.stringify(report));
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
}
