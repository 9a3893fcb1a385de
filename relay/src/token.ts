import { TOKEN_NAME } from './config.js';
import { sha256, toHex } from './tokens.js';

/*
 * `npm run relay:token -- <name>` (or `node dist/token.js <name>` in relay/): makes a new manager token. Prints the
 * token once, for the manager, and the line for RELAY_TOKENS_FILE, which holds only the token's SHA-256.
 */

const name = process.argv[2];
if (!name || !TOKEN_NAME.test(name)) {
  console.error('Usage: token <name>   (1-64 letters, digits, or . _ @ -; the name is written to the audit log)');
  process.exit(2);
}
const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
console.log(`Token for ${name} (give it to the manager; it is not stored anywhere):\n  ${token}`);
console.log(`Line for RELAY_TOKENS_FILE (or RELAY_TOKENS):\n  ${name}:sha256:${toHex(await sha256(token))}`);
