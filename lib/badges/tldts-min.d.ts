/** tldts' own minified ES build (the package has no `exports` map): the same API as `tldts`. */
declare module 'tldts/dist/index.esm.min.js' {
  export { getPublicSuffix } from 'tldts';
}
