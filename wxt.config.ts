import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { apiHostPermission, resolveApiOrigin } from './lib/kakao/origin';
import { OMNIBOX_KEYWORD, QUICK_COMMANDS } from './lib/quick-commands';
import { popupInOneFile } from './scripts/popup-one-file';
import { zodWithoutJsonSchema } from './scripts/zod-without-json-schema';

// The Kakao API origin is fixed at build time. Tests and benchmarks build against
// the local simulator with WXT_KAKAO_API_ORIGIN=http://127.0.0.1:<port>.
const apiOrigin = resolveApiOrigin(process.env.WXT_KAKAO_API_ORIGIN);
// Test builds only (test/e2e/build.ts): a manifest `key` pins the Chrome extension ID, so a managed
// policy can name it (test/e2e/policy.e2e.test.ts). A release build never has one.
const testManifestKey = process.env.CHANNEL_DESK_TEST_MANIFEST_KEY?.trim() || undefined;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  outDir: process.env.CHANNEL_DESK_OUT_DIR ?? '.output',
  webExt: { disabled: true },
  // Firefox too is built as MV3 (WXT would default it to MV2): README "Firefox" says why.
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Rendered from assets/icon.svg by `npm run icons` (scripts/icons.ts); the toolbar
    // switches to the sandbox and attention variants at run time (lib/background/toolbar-state.ts).
    icons: { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 96: 'icons/96.png', 128: 'icons/128.png' },
    action: { default_icon: { 16: 'icons/16.png', 32: 'icons/32.png' }, default_title: '__MSG_extName__' },
    // declarativeNetRequestWithHostAccess: strip Origin/Referer from our own API calls
    // (lib/platform/api-headers-rule.ts); it acts only on hosts we hold, so no new install warning.
    permissions: [
      'storage',
      'contextMenus',
      'scripting',
      'notifications',
      'activeTab',
      'alarms',
      'declarativeNetRequestWithHostAccess',
    ],
    host_permissions: [apiHostPermission(apiOrigin)],
    // Quick lookups (lib/background/quick/). Alt+Shift+K ("Kakao") and Alt+Shift+O ("open") are free in Chromium and
    // Firefox ESR (both assign them: e2e reads commands.getAll()); Chromium leaves Alt+Shift+W unassigned (taken).
    // Managers change them on the browser's shortcut page. Neither commands nor the omnibox needs a permission;
    // reading the selection on the shortcut uses `activeTab`, which pressing the shortcut grants for the active tab.
    commands: {
      [QUICK_COMMANDS.checkSelection]: {
        suggested_key: { default: 'Alt+Shift+K' },
        description: '__MSG_quick_commandCheckSelection__',
      },
      [QUICK_COMMANDS.openWorkspace]: {
        suggested_key: { default: 'Alt+Shift+O' },
        description: '__MSG_quick_commandOpenWorkspace__',
      },
    },
    omnibox: { keyword: OMNIBOX_KEYWORD },
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // The organisation's policy (README "For IT admins"): Chrome checks it against this schema. Firefox
    // needs none: it reads policies.json → 3rdparty.Extensions.<gecko id> into storage.managed.
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser !== 'firefox' && testManifestKey !== undefined && { key: testManifestKey }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'channel-desk@channel-desk.dev',
          // 140 (an ESR): the first Firefox that reads data_collection_permissions; it also has
          // every API we use in MV3 (storage.session, scripting, optional_host_permissions, menus).
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        // Firefox for Android reads data_collection_permissions from 142 on.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
  vite: () => ({
    // zod's JSON Schema generator, which nothing here uses, stays out of the bundles (the script says why).
    plugins: [preact(), zodWithoutJsonSchema()],
    define: { 'import.meta.env.WXT_KAKAO_API_ORIGIN': JSON.stringify(apiOrigin) },
  }),
  hooks: {
    // The popup loads one script, its styles inline (scripts/popup-one-file.ts: issue 14 §4, first render).
    'build:done': async (wxt) => {
      if (wxt.config.command === 'build') await popupInOneFile(wxt.config.outDir);
    },
  },
  zip: {
    excludeSources: [
      '.output/**',
      'release/**',
      'test/e2e/.artifacts/**',
      '*.log',
      'bench-results/**',
      'docs/screenshots/**',
      'store/screenshots/**',
    ],
  },
});
