// An MCP server (Streamable HTTP, stateless) whose tools are protected by Gatehouse.
//
// It is an OAuth 2.0 resource server in the MCP authorization spec's sense (2025-11-25):
//   - RFC 9728 protected resource metadata at /.well-known/oauth-protected-resource and at
//     /.well-known/oauth-protected-resource{path} for the MCP endpoint's path, naming Gatehouse's
//     issuer in `authorization_servers`;
//   - a request without a usable access token gets 401 with
//     `WWW-Authenticate: Bearer resource_metadata="…"` (plus error="invalid_token" when a token
//     was sent and refused);
//   - a tools/call for a tool whose scope the token lacks gets 403 with
//     `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`, which MCP clients answer
//     with a new authorization request for that scope (step-up);
//   - access tokens are JWTs (RFC 9068) checked locally against Gatehouse's JWKS: signature,
//     `typ: at+jwt`, `iss` = Gatehouse's issuer, `aud` = this server's resource URL, `exp`.
//
// Configuration (environment):
//   GATEHOUSE_ISSUER   Gatehouse's issuer URL, exactly as it publishes it (http://127.0.0.1:8080)
//   PORT               port to listen on (3000); HOST the address to bind (127.0.0.1)
//   MCP_RESOURCE_URL   this server's MCP endpoint as clients reach it, which is the `resource`
//                      clients request tokens for (http://127.0.0.1:$PORT/mcp)
//
// TypeScript, run with tsx (`npm start`) and type-checked with `npm run typecheck`.
import { pathToFileURL } from 'node:url';
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { z } from 'zod';
import type { Server } from 'node:http';
import type { Request, Response, NextFunction } from 'express';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

export interface Config {
  issuer: string;       // Gatehouse's issuer, compared exactly with tokens' `iss`
  host: string;
  port: number;
  resourceUrl: string;  // this MCP endpoint; tokens must carry it in `aud`
}

type AuthedRequest = Request & { auth?: AuthInfo };
type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** The custom scope each protected tool needs; tools not listed need only a valid token. */
export const TOOL_SCOPES: Record<string, string[]> = {
  read_notes: ['notes:read'],
};

/** Access token signing algorithms Gatehouse can use (its `signing_algorithm` setting). */
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const issuer = env.GATEHOUSE_ISSUER ?? 'http://127.0.0.1:8080';
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: not a port: ${env.PORT}`);
  const resourceUrl = env.MCP_RESOURCE_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`;
  for (const [name, value] of [['GATEHOUSE_ISSUER', issuer], ['MCP_RESOURCE_URL', resourceUrl]]) {
    const url = new URL(value);  // throws on a malformed URL
    if (url.hash || url.search) throw new Error(`${name}: no query or fragment allowed: ${value}`);
  }
  return { issuer, host, port, resourceUrl };
}

/**
 * The RFC 9728 metadata URL for `resourceUrl`: the well-known prefix inserted before its path.
 */
export function protectedResourceMetadataUrl(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/**
 * Quotes a value for a WWW-Authenticate auth-param (RFC 9110 quoted-string).
 */
function quoted(value: string): string {
  return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Verifies Gatehouse access tokens. The JWKS location comes from Gatehouse's RFC 8414 metadata,
 * fetched on first use (and again after a failure), so the server can start before Gatehouse.
 */
export class AccessTokenVerifier {
  private jwks: Promise<KeySet> | undefined = undefined;

  constructor(private readonly config: Config) {}

  keySet(): Promise<KeySet> {
    this.jwks ??= (async () => {
      const issuer = new URL(this.config.issuer);
      const path = issuer.pathname === '/' ? '' : issuer.pathname;
      const response = await fetch(new URL(`/.well-known/oauth-authorization-server${path}`, issuer));
      if (!response.ok) throw new Error(`authorization server metadata: HTTP ${response.status}`);
      const metadata = await response.json();
      if (metadata.issuer !== this.config.issuer) {
        throw new Error(`authorization server metadata names issuer ${metadata.issuer}, expected ${this.config.issuer}`);
      }
      return createRemoteJWKSet(new URL(metadata.jwks_uri));
    })();
    const pending = this.jwks;
    pending.catch(() => { this.jwks = undefined; });
    return pending;
  }

  // Rejects with a jose error for a token that must be refused.
  async verify(token: string): Promise<AuthInfo> {
    const { payload } = await jwtVerify(token, await this.keySet(), {
      issuer: this.config.issuer,
      audience: this.config.resourceUrl,
      typ: 'at+jwt',
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'sub', 'client_id'],
    });
    return {
      token,
      clientId: String(payload.client_id),
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      expiresAt: payload.exp,
      resource: new URL(this.config.resourceUrl),
      extra: { sub: payload.sub },
    };
  }
}

/**
 * Express middleware: a valid access token for this resource, or 401 with the challenge that
 * sends MCP clients to the protected resource metadata.
 */
export function requireAccessToken(verifier: AccessTokenVerifier, metadataUrl: string) {
  return async (req: AuthedRequest, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    if (!match) {
      // No credentials (or not a bearer token): RFC 6750 §3.1 sends no error code here.
      res.set('WWW-Authenticate', `Bearer resource_metadata=${quoted(metadataUrl)}`);
      res.status(401).json({ error: 'invalid_token', error_description: 'An access token is required' });
      return;
    }
    try {
      req.auth = await verifier.verify(match[1]);
    } catch (error) {
      if (!(error instanceof joseErrors.JOSEError)) {
        // Gatehouse unreachable or its metadata unusable: our fault, not the client's.
        console.error('token verification unavailable:', error);
        res.status(503).json({ error: 'temporarily_unavailable' });
        return;
      }
      const description = error instanceof joseErrors.JWTExpired ? 'The access token expired'
        : 'The access token is not valid for this server';
      res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description=${quoted(description)}, ` +
        `resource_metadata=${quoted(metadataUrl)}`);
      res.status(401).json({ error: 'invalid_token', error_description: description });
      return;
    }
    next();
  };
}

/**
 * Express middleware for POST /mcp: a tools/call whose tool needs a scope the token lacks gets
 * 403 insufficient_scope. The challenge's `scope` names the token's scopes plus the missing ones,
 * because clients (the MCP SDK among them) request exactly the challenged scope and would
 * otherwise lose what they already hold.
 */
export function requireToolScopes(metadataUrl: string) {
  return (req: AuthedRequest, res: Response, next: NextFunction): void => {
    const granted = new Set(req.auth?.scopes ?? []);
    const messages = Array.isArray(req.body) ? req.body : [req.body];
    const missing = new Set<string>();
    for (const message of messages) {
      if (message?.method !== 'tools/call') continue;
      for (const scope of TOOL_SCOPES[message.params?.name] ?? []) {
        if (!granted.has(scope)) missing.add(scope);
      }
    }
    if (missing.size === 0) {
      next();
      return;
    }
    const scope = [...granted, ...missing].join(' ');
    const description = `This tool needs the ${[...missing].join(', ')} scope`;
    res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope=${quoted(scope)}, ` +
      `resource_metadata=${quoted(metadataUrl)}, error_description=${quoted(description)}`);
    res.status(403).json({ error: 'insufficient_scope', error_description: description });
  };
}

const SAMPLE_NOTES = [
  { id: 1, title: 'Rotate the signing keys', body: 'Gatehouse rotates them every 30 days on its own.' },
  { id: 2, title: 'Ask for notes:read', body: 'MCP clients step up when a tool answers 403.' },
];

/** One MCP server per request (stateless Streamable HTTP): the tools see the request's token. */
function buildMcpServer() {
  const server = new McpServer({ name: 'gatehouse-example-notes', version: '0.1.0' });

  server.registerTool('whoami', {
    title: 'Who am I',
    description: 'Tells who the access token speaks for. Needs no scope beyond a valid token.',
  }, async (extra) => {
    const auth = extra?.authInfo;
    const who = { user: auth?.extra?.sub, client_id: auth?.clientId, scopes: auth?.scopes ?? [],
      expires_at: auth?.expiresAt };
    return { content: [{ type: 'text', text: JSON.stringify(who) }] };
  });

  server.registerTool('read_notes', {
    title: 'Read notes',
    description: 'Lists the user\'s notes. Needs the notes:read scope.',
    inputSchema: { limit: z.number().int().min(1).max(50).optional() },
  }, async ({ limit }, extra) => {
    // The HTTP layer already refused tokens without the scope; checked again so the tool stays
    // safe if it is ever reached another way.
    if (!TOOL_SCOPES.read_notes.every((s) => extra.authInfo?.scopes.includes(s))) {
      return { isError: true, content: [{ type: 'text', text: 'notes:read scope required' }] };
    }
    const notes = SAMPLE_NOTES.slice(0, limit ?? SAMPLE_NOTES.length);
    return { content: [{ type: 'text', text: JSON.stringify({ user: extra.authInfo?.extra?.sub, notes }) }] };
  });

  return server;
}

/**
 * The Express application: metadata, the protected MCP endpoint.
 */
export function createApp(config: Config) {
  const metadataUrl = protectedResourceMetadataUrl(config.resourceUrl);
  const mcpPath = new URL(config.resourceUrl).pathname;
  const verifier = new AccessTokenVerifier(config);
  const authenticate = requireAccessToken(verifier, metadataUrl);
  // Validates the Host header against DNS rebinding when bound to loopback; parses JSON bodies.
  const app = createMcpExpressApp({ host: config.host });

  const metadata = {
    resource: config.resourceUrl,
    authorization_servers: [config.issuer],
    scopes_supported: [...new Set(Object.values(TOOL_SCOPES).flat())],
    bearer_methods_supported: ['header'],
    resource_name: 'Gatehouse example notes server',
  };
  const serveMetadata = (_req: Request, res: Response): void => {
    res.set('Access-Control-Allow-Origin', '*');  // browser-based MCP clients read it too
    res.set('Cache-Control', 'public, max-age=300');
    res.json(metadata);
  };
  app.get('/.well-known/oauth-protected-resource', serveMetadata);
  if (mcpPath !== '/') app.get(`/.well-known/oauth-protected-resource${mcpPath}`, serveMetadata);

  app.post(mcpPath, authenticate, requireToolScopes(metadataUrl), async (req, res) => {
    const server = buildMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      console.error('MCP request failed:', error);
      if (!res.headersSent) {
        res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
      }
    }
  });
  // Stateless: no server-initiated stream and no session to end; authenticated first so that an
  // unauthenticated client still learns where to get a token.
  const notAllowed = (_req: Request, res: Response): void => {
    res.set('Allow', 'POST');
    res.status(405).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
  };
  app.get(mcpPath, authenticate, notAllowed);
  app.delete(mcpPath, authenticate, notAllowed);
  return app;
}

/**
 * Starts listening; resolves with the Node HTTP server once it accepts connections.
 */
export function start(config: Config): Promise<Server> {
  const app = createApp(config);
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(config.port, config.host, (error?: Error) => {
      if (error) reject(error);
      else resolve(server);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  const server = await start(config);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`MCP server listening on ${config.host}:${port}`);
  console.log(`resource: ${config.resourceUrl}`);
  console.log(`protected resource metadata: ${protectedResourceMetadataUrl(config.resourceUrl)}`);
  console.log(`authorization server: ${config.issuer}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
