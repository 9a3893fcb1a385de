// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivacyPage, markdownBlocks } from '../../components/PrivacyPage';

const ROOT = path.resolve(import.meta.dirname, '../..');
const policy = fs.readFileSync(path.join(ROOT, 'PRIVACY.md'), 'utf8');

// privacy.html shows PRIVACY.md (the options page links to it).
describe('privacy page', () => {
  afterEach(cleanup);

  it('shows both languages, every storage row and what is sent to whom', () => {
    render(<PrivacyPage markdown={policy} />);
    expect(screen.getByRole('heading', { level: 2, name: 'English' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: '한국어' })).toBeTruthy();
    const tables = screen.getAllByRole('table');
    expect(tables).toHaveLength(2);
    // Same rows in both languages.
    expect(tables[0]!.querySelectorAll('tbody tr').length).toBe(tables[1]!.querySelectorAll('tbody tr').length);
    expect(tables[0]!.querySelectorAll('tbody tr').length).toBeGreaterThanOrEqual(8);
    expect(document.body.textContent).toContain('never in storage.sync');
    expect(document.body.textContent).toContain('No analytics, telemetry');
    expect(document.body.textContent).toContain('원격 코드를 불러오지 않고');
  });

  it('renders Markdown as text: code spans, list items joined across lines, no HTML from the file', () => {
    const blocks = markdownBlocks(
      '# T\n\n- one `a`\n  continued\n- two\n\n| h1 | h2 |\n| -- | -- |\n| <b>x</b> | y |\n\nplain\ntext',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'T' },
      { kind: 'list', items: ['one `a` continued', 'two'] },
      { kind: 'table', head: ['h1', 'h2'], rows: [['<b>x</b>', 'y']] },
      { kind: 'paragraph', text: 'plain text' },
    ]);
    render(<PrivacyPage markdown={'| h |\n| - |\n| <b>x</b> |'} />);
    expect(document.querySelector('b')).toBeNull();
    expect(screen.getByRole('cell').textContent).toBe('<b>x</b>');
  });
});
