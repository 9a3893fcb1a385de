import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutJsonSchema } from '../../scripts/zod-without-json-schema';

/*
 * Room in the background bundle (issue 14): the build drops zod's JSON Schema generator, which nothing uses.
 * The installed zod must keep the shape the build step expects, or the build must fail (not ship half a patch).
 */

const require = createRequire(import.meta.url);
const zodDir = path.dirname(require.resolve('zod/package.json'));
const schemasJs = fs.readFileSync(path.join(zodDir, 'v4/classic/schemas.js'), 'utf8');

describe('zod without its JSON Schema generator', () => {
  it('unhooks every schema type of the installed zod and stubs the JSON Schema methods', () => {
    const out = withoutJsonSchema(schemasJs);
    expect(out).not.toMatch(/processJSONSchema\s*=/);
    expect(out).not.toMatch(/\bcreate(?:ToJSONSchemaMethod|StandardJSONSchemaMethod)\(/);
    // Parsing is untouched.
    expect(out).toContain('parse.safeParse(');
    expect(out.length).toBeLessThan(schemasJs.length);
  });

  it('fails the build when zod no longer has the expected hooks', () => {
    expect(() => withoutJsonSchema('export const ZodString = 1;')).toThrow(/zod's schemas.js changed/);
    const oneMethodGone = schemasJs.replace('return createToJSONSchemaMethod(this, {})(params);', 'return 1;');
    expect(() => withoutJsonSchema(oneMethodGone)).toThrow(/2 methods/);
  });
});
