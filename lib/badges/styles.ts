/**
 * Badge and toast styles, inside closed shadow roots: the page's CSS cannot reach them and they cannot reach the
 * page.
 */
const COLORS = `
  :host { --cd-bg: #f5f6f8; --cd-fg: #1d1f23; --cd-soft: #5b6170; --cd-border: #d9dce3;
    --cd-ok: #17803d; --cd-bad: #c62828; --cd-none: #6b7280; --cd-warn: #b26a00; --cd-accent: #1f5fd1;
    --cd-card: #ffffff; }
  @media (prefers-color-scheme: dark) {
    :host { --cd-bg: #20232a; --cd-fg: #e8eaef; --cd-soft: #a2a8b6; --cd-border: #353a45;
      --cd-ok: #4ccf7c; --cd-bad: #ff7b72; --cd-none: #9aa1ad; --cd-warn: #f0b44c; --cd-accent: #7aa7ff;
      --cd-card: #16181d; }
  }
  [data-relation='ADDED'] { color: var(--cd-ok); }
  [data-relation='BLOCKED'] { color: var(--cd-bad); }
  [data-relation='NONE'] { color: var(--cd-none); }
  [data-relation='UNKNOWN'] { color: var(--cd-warn); }
  [data-relation='ERROR'] { color: var(--cd-bad); }
`;
const FONT = `font-family: system-ui, -apple-system, 'Segoe UI', 'Apple SD Gothic Neo', 'Malgun Gothic',
  'Noto Sans KR', sans-serif;`;

export const BADGE_CSS = `${COLORS}
  :host { all: initial; font-size: inherit; display: inline-block; position: relative; vertical-align: baseline;
    margin-inline-start: 0.35em; line-height: 1; }
  .pill { ${FONT} display: inline-flex; align-items: center; gap: 0.25em; font-size: 0.8em; font-weight: 600;
    line-height: 1.3;
    padding: 0 0.5em; border-radius: 999px; border: 1px solid var(--cd-border); background: var(--cd-bg);
    white-space: nowrap; cursor: default;
    word-break: keep-all; }
  .pill:focus-visible { outline: 2px solid var(--cd-accent); outline-offset: 1px; }
  .pill[aria-busy='true'] { color: var(--cd-soft); }
  .ch { color: var(--cd-soft); font-weight: 500; padding-inline-start: 0.3em;
    border-inline-start: 1px solid var(--cd-border); margin-inline-start: 0.1em; }
  .dots { display: inline-block; }
  .dots.animated { animation: cd-blink 1.2s infinite; }
  @keyframes cd-blink { 50% { opacity: 0.3; } }
  @media (prefers-reduced-motion: reduce) { .dots.animated { animation: none; } }
  .card { ${FONT} display: none; position: absolute; z-index: 2147483647; top: calc(100% + 4px); left: 0;
    min-width: 18em; max-width: 26em;
    padding: 0.5em 0.7em; border: 1px solid var(--cd-border); border-radius: 8px; background: var(--cd-card);
    color: var(--cd-fg);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.18); font-size: 13px; line-height: 1.45; font-weight: 400;
    white-space: normal; text-align: start;
    word-break: keep-all; }
  .row > span:first-child { white-space: nowrap; }
  :host(:hover) .card, .pill:focus + .card, :host([data-open]) .card { display: block; }
  .card h3 { font-size: 12px; margin: 0 0 0.3em; color: var(--cd-soft); font-weight: 600; }
  .row { display: flex; justify-content: space-between; gap: 1em; padding: 0.2em 0;
    border-top: 1px solid var(--cd-border); }
  .row:first-of-type { border-top: 0; }
  .row .rel { font-weight: 600; white-space: nowrap; }
  .muted { color: var(--cd-soft); font-size: 12px; }
`;

export const TOAST_CSS = `${COLORS}
  :host { all: initial; position: fixed; z-index: 2147483647; right: 16px; bottom: 16px; }
  .toast { ${FONT} display: flex; gap: 0.75em; align-items: flex-start; max-width: 360px; padding: 10px 12px;
    border-radius: 8px;
    border: 1px solid var(--cd-border); background: var(--cd-card); color: var(--cd-fg);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.22);
    font-size: 14px; line-height: 1.5; word-break: keep-all; }
  .toast strong { display: block; margin-bottom: 2px; }
  .rows { margin: 0; padding: 0; list-style: none; }
  .rows li { display: flex; justify-content: space-between; gap: 1em; }
  .rel { font-weight: 600; white-space: nowrap; }
  button { font: inherit; border: 1px solid var(--cd-border); border-radius: 6px; background: var(--cd-bg);
    color: var(--cd-fg); cursor: pointer; padding: 0 8px; }
  button:focus-visible { outline: 2px solid var(--cd-accent); }
`;
