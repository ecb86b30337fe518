// The one PKCE pair every bench flow uses on both sides (Lua has no SHA-256, so the challenge is
// computed here and handed to the wrk scripts), and the redirect URI every bench client registers.
import { createHash } from 'node:crypto';

const verifier = 'bench-pkce-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF';
export const PKCE = {
  verifier,
  challenge: createHash('sha256').update(verifier).digest('base64url'),
};
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
