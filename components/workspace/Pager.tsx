import { i18n } from '#i18n';
import { fmt } from './format';

/**
 * Page navigation for the paged tables (bulk-check results, API log): ‹ page n of m ›,
 * with « and » to the ends when `ends` is set. Buttons carry `data-action="prev-page"` /
 * `"next-page"` and the label `data-testid="page-label"` (outside tests rely on them).
 */
export function Pager(props: {
  page: number;
  pages: number;
  setPage: (page: number) => void;
  ends?: boolean;
  class?: string;
}) {
  const { page, pages, setPage, ends } = props;
  const atStart = page === 0;
  const atEnd = page + 1 >= pages;
  return (
    <nav class={`row pager center${props.class ? ` ${props.class}` : ''}`} aria-label={i18n.t('workspace.check.pages')}>
      {ends ? (
        <button
          type="button"
          onClick={() => setPage(0)}
          disabled={atStart}
          aria-label={i18n.t('workspace.check.first')}
        >
          «
        </button>
      ) : null}
      <button
        type="button"
        onClick={() => setPage(page - 1)}
        disabled={atStart}
        data-action="prev-page"
        aria-label={i18n.t('workspace.check.prev')}
      >
        ‹
      </button>
      <span data-testid="page-label">{i18n.t('workspace.check.page', [fmt(page + 1), fmt(pages)])}</span>
      <button
        type="button"
        onClick={() => setPage(page + 1)}
        disabled={atEnd}
        data-action="next-page"
        aria-label={i18n.t('workspace.check.next')}
      >
        ›
      </button>
      {ends ? (
        <button
          type="button"
          onClick={() => setPage(pages - 1)}
          disabled={atEnd}
          aria-label={i18n.t('workspace.check.last')}
        >
          »
        </button>
      ) : null}
    </nav>
  );
}
