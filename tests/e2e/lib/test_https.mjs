// Loopback HTTPS for end-to-end tests: a throw-away CA and a server certificate for 127.0.0.1,
// made with the openssl CLI in a temp directory, and an HTTPS server that serves JSON documents
// (Client ID Metadata Documents) and records every request it receives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Returns { dir, caFile, key, cert, remove() }: caFile is the CA certificate (PEM) to trust.
export function makeTestCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-tls-'));
  const at = (name) => join(dir, name);
  const openssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ecKey, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2',
    '-subj', '/CN=Gatehouse e2e test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ecKey, '-keyout', at('server.key'), '-out', at('server.csr'),
    '-subj', '/CN=127.0.0.1']);
  writeFileSync(at('server.ext'), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ].join('\n') + '\n');
  openssl(['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'),
    '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('server.ext')]);
  return {
    dir,
    caFile: at('ca.pem'),
    key: readFileSync(at('server.key')),
    cert: readFileSync(at('server.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// An HTTPS server on 127.0.0.1 answering GET {path} with documents.get(path) as JSON (404 for
// anything else). `hits` lists the paths requested, in order.
export async function startDocumentServer({ key, cert }) {
  const documents = new Map();
  const hits = [];
  const server = createServer({ key, cert }, (req, res) => {
    const path = new URL(req.url, 'https://127.0.0.1').pathname;
    hits.push(path);
    const doc = req.method === 'GET' ? documents.get(path) : undefined;
    if (doc === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    res.end(JSON.stringify(doc));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    base: `https://127.0.0.1:${server.address().port}`,
    documents,
    hits,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
