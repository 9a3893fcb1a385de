import type { ComponentChildren } from 'preact';

/*
 * The privacy policy page (privacy.html): PRIVACY.md rendered as it is written.
 * The file uses a small part of Markdown only: headings, paragraphs, lists,
 * tables, `code` and [links](#anchor); this renders exactly that, as text (no HTML
 * from the file is ever interpreted).
 */

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] };

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (line.trim() === '') i++;
    else if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3, text: heading[2]! });
      i++;
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++)
        if (!/^\|[\s|:-]+\|$/.test(lines[i]!.trim())) rows.push(cells(lines[i]!));
      blocks.push({ kind: 'table', head: rows[0] ?? [], rows: rows.slice(1) });
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      for (; i < lines.length && (lines[i]!.startsWith('- ') || lines[i]!.startsWith('  ')); i++) {
        if (lines[i]!.startsWith('- ')) items.push(lines[i]!.slice(2));
        else items[items.length - 1] += ` ${lines[i]!.trim()}`;
      }
      blocks.push({ kind: 'list', items });
    } else {
      const text: string[] = [];
      for (; i < lines.length && lines[i]!.trim() !== '' && !/^(#|\||- )/.test(lines[i]!); i++) text.push(lines[i]!);
      blocks.push({ kind: 'paragraph', text: text.join(' ') });
    }
  }
  return blocks;
}

/** `code`, **bold** and [text](#anchor) inside a line; everything else is plain text. */
function Inline({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\((#[^)]+)\)/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    parts.push(text.slice(last, m.index));
    if (m[1] !== undefined) parts.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined) parts.push(<strong>{m[2]}</strong>);
    else parts.push(<a href={m[4]}>{m[3]}</a>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

export function PrivacyPage({ markdown }: { markdown: string }) {
  return (
    <main class="page-privacy">
      {markdownBlocks(markdown).map((b, n) => {
        switch (b.kind) {
          case 'heading': {
            const H = `h${b.level}` as 'h1' | 'h2' | 'h3';
            return (
              <H key={n} id={b.text}>
                <Inline text={b.text} />
              </H>
            );
          }
          case 'paragraph':
            return (
              <p key={n}>
                <Inline text={b.text} />
              </p>
            );
          case 'list':
            return (
              <ul key={n}>
                {b.items.map((item, k) => (
                  <li key={k}>
                    <Inline text={item} />
                  </li>
                ))}
              </ul>
            );
          case 'table':
            return (
              <div key={n} class="table-scroll">
                <table>
                  <thead>
                    <tr>
                      {b.head.map((h, k) => (
                        <th key={k} scope="col">
                          <Inline text={h} />
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.rows.map((row, r) => (
                      <tr key={r}>
                        {row.map((c, k) => (
                          <td key={k}>
                            <Inline text={c} />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
        }
      })}
    </main>
  );
}
