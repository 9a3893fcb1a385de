import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { apiHostPermission, resolveApiOrigin } from './lib/kakao/origin';

// The Kakao API origin is fixed at build time. Tests and benchmarks build against
// the local simulator with WXT_KAKAO_API_ORIGIN=http://127.0.0.1:<port>.
const apiOrigin = resolveApiOrigin(process.env.WXT_KAKAO_API_ORIGIN);

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  outDir: process.env.CHANNEL_DESK_OUT_DIR ?? '.output',
  webExt: { disabled: true },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'contextMenus', 'alarms'],
    host_permissions: [apiHostPermission(apiOrigin)],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'channel-desk@channel-desk.dev',
          strict_min_version: '115.0',
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
  vite: () => ({
    plugins: [preact()],
    define: { 'import.meta.env.WXT_KAKAO_API_ORIGIN': JSON.stringify(apiOrigin) },
  }),
  zip: { excludeSources: ['.output/**', 'test/e2e/.artifacts/**', '*.log', 'bench-results/**'] },
});
