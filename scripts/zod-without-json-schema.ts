import type { Plugin } from 'vite';

/*
 * Room in the background bundle (issue 14: budgets unchanged or smaller). Classic zod gives every schema a
 * JSON Schema generator (`.toJSONSchema()`, `~standard.jsonSchema`): each schema type's constructor hooks its
 * processor, so the whole generator (zod/v4/core/to-json-schema.js and json-schema-processors.js, ~5 KB gzipped)
 * is bundled although Channel Desk never asks for a JSON Schema: it only parses. Parsing, errors and every other
 * schema method are untouched. In the built extension these two methods throw instead; unit tests run zod
 * unchanged. If a zod update changes the hooks, the build fails here rather than shipping a half-patched zod.
 */

const SCHEMAS = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]schemas\.js$/;
const HOOK = /inst\._zod\.processJSONSchema = \(ctx, json, params\) => processors\.\w+\(inst, ctx, json, params\);/g;
const METHOD = /\bcreate(?:ToJSONSchemaMethod|StandardJSONSchemaMethod)\(/g;

const NO_JSON_SCHEMA = `
function __noJSONSchema() {
  return () => { throw new Error("JSON Schema output is not in this build (scripts/zod-without-json-schema.ts)"); };
}
`;

/** zod's classic schemas.js without its JSON Schema hooks; throws if the source is not the shape it expects. */
export function withoutJsonSchema(code: string): string {
  const hooks = code.match(HOOK)?.length ?? 0;
  const methods = code.match(METHOD)?.length ?? 0;
  // 41 hooks (one per schema type) and 3 calls (toJSONSchema, ~standard input and output) in zod 4.6.
  if (hooks < 30 || methods !== 3) {
    throw new Error(`zod-without-json-schema: zod's schemas.js changed (${hooks} hooks, ${methods} methods)`);
  }
  return code.replace(HOOK, '').replace(METHOD, '__noJSONSchema(') + NO_JSON_SCHEMA;
}

/** Vite plugin: applies {@link withoutJsonSchema} to zod's classic schemas module in extension builds. */
export function zodWithoutJsonSchema(): Plugin {
  return {
    name: 'channel-desk:zod-without-json-schema',
    apply: 'build',
    transform(code, id) {
      if (!SCHEMAS.test(id.split('?')[0] ?? id)) return null;
      return { code: withoutJsonSchema(code), map: null };
    },
  };
}
