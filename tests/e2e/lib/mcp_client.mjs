// The MCP side of the end-to-end tests: an OAuthClientProvider for the MCP SDK's client that keeps
// everything in memory and records what the SDK asks of it, and a launcher for the example MCP
// server in examples/mcp-server (a separate Node process, configured by environment as its README
// describes).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort } from './server.mjs';

export const EXAMPLE_DIR = resolve(import.meta.dirname, '../../../examples/mcp-server');

// An MCP client application's storage and browser hand-off, as the SDK's auth() expects.
// `clientMetadataUrl` set: the client identifies itself by that Client ID Metadata Document URL
// (when the authorization server advertises support); unset: the SDK registers it dynamically.
//
// redirectToAuthorization does not open a browser: it records the URL for the test to visit.
// It also applies SEP-2207, which SDK 1.32.2 predates: a client that wants refresh tokens adds
// `offline_access` to the authorization request when the authorization server lists it in
// scopes_supported (resource servers do not name it: it is not a resource's scope).
export class InMemoryOAuthClientProvider {
  constructor({ redirectUrl, clientMetadata, clientMetadataUrl }) {
    this._redirectUrl = redirectUrl;
    this._clientMetadata = clientMetadata;
    if (clientMetadataUrl) this.clientMetadataUrl = clientMetadataUrl;
    this.authorizationUrls = [];
    this.invalidations = [];
    this.states = [];
  }

  get redirectUrl() { return this._redirectUrl; }
  get clientMetadata() { return this._clientMetadata; }

  state() {
    const state = randomBytes(12).toString('base64url');
    this.states.push(state);
    return state;
  }

  clientInformation() { return this._clientInformation; }
  saveClientInformation(info) { this._clientInformation = info; }
  tokens() { return this._tokens; }
  saveTokens(tokens) { this._tokens = tokens; }
  saveCodeVerifier(verifier) { this._codeVerifier = verifier; }
  codeVerifier() {
    if (!this._codeVerifier) throw new Error('no code verifier saved');
    return this._codeVerifier;
  }
  saveDiscoveryState(state) { this._discovery = state; }
  discoveryState() { return this._discovery; }

  redirectToAuthorization(url) {
    const authorizationUrl = new URL(url);
    const scope = (authorizationUrl.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    const asScopes = this._discovery?.authorizationServerMetadata?.scopes_supported ?? [];
    const wantsRefresh = (this._clientMetadata.grant_types ?? []).includes('refresh_token');
    if (wantsRefresh && asScopes.includes('offline_access') && !scope.includes('offline_access')) {
      authorizationUrl.searchParams.set('scope', [...scope, 'offline_access'].join(' '));
    }
    this.authorizationUrls.push(authorizationUrl);
  }

  invalidateCredentials(scope) {
    this.invalidations.push(scope);
    if (scope === 'all' || scope === 'client') this._clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this._codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this._discovery = undefined;
  }
}

// Starts examples/mcp-server/src/server.ts against `issuer`; resolves once its protected
// resource metadata answers. Returns { url (the MCP endpoint), metadataUrl, stop(), output() }.
export async function startExampleMcpServer({ issuer }) {
  if (!existsSync(resolve(EXAMPLE_DIR, 'node_modules/@modelcontextprotocol/sdk'))) {
    throw new Error(`the example MCP server's packages are not installed: run \`npm ci\` in ${EXAMPLE_DIR}`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: EXAMPLE_DIR,
    env: { ...process.env, GATEHOUSE_ISSUER: issuer, PORT: String(port), HOST: '127.0.0.1', MCP_RESOURCE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  let exit = null;
  exited.then((e) => { exit = e; });
  const metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (exit) throw new Error(`example MCP server exited (${JSON.stringify(exit)}):\n${output}`);
    try {
      if ((await fetch(metadataUrl)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`example MCP server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    metadataUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
