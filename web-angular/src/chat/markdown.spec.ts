import { renderMarkdown } from './markdown';

/** The rendered HTML parsed back, so assertions look at elements and attributes, not string shapes. */
function render(body: string, me?: string): HTMLElement {
  const element = document.createElement('div');
  element.innerHTML = renderMarkdown(body, me);
  return element;
}

function tagsOf(element: HTMLElement): string[] {
  return [...element.querySelectorAll('*')].map((node) => node.tagName.toLowerCase());
}

describe('renderMarkdown', () => {
  it('renders the subset: bold, italic, strikethrough, code, code blocks, quotes, lists', () => {
    const html = render('**b** _i_ ~~s~~ `c`\n\n```\nx < y\n```\n\n> q\n\n- one\n- two\n\n1. first');
    expect(html.querySelector('strong')?.textContent).toBe('b');
    expect(html.querySelector('em')?.textContent).toBe('i');
    expect(html.querySelector('s')?.textContent).toBe('s');
    expect(html.querySelector('p > code')?.textContent).toBe('c');
    expect(html.querySelector('pre > code')?.textContent).toBe('x < y\n');
    expect(html.querySelector('blockquote')?.textContent?.trim()).toBe('q');
    expect(html.querySelectorAll('ul > li')).toHaveLength(2);
    expect(html.querySelectorAll('ol > li')).toHaveLength(1);
  });

  it('keeps line breaks as typed, and leaves headings, tables and images as text', () => {
    const html = render('line one\nline two\n\n# not a heading\n\n![pic](https://example.com/a.png)');
    expect(html.querySelector('br')).not.toBeNull();
    expect(html.querySelector('h1, img, table')).toBeNull();
    expect(html.textContent).toContain('# not a heading');
  });

  it('autolinks URLs; every link opens in a new tab without opener or referrer', () => {
    const html = render(
      'see https://example.com/a?b=1 or [docs](https://docs.example.com) or [me](mailto:me@example.com)',
    );
    const links = [...html.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'https://docs.example.com',
      'mailto:me@example.com',
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](  javascript:alert(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['[x](data:image/png;base64,AAAA)'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](file:///etc/passwd)'],
    ['[x](/relative/path)'],
    ['<javascript:alert(1)>'],
    ['[x][ref]\n\n[ref]: javascript:alert(1)'],
  ])('drops the link of %s: only http(s) and mailto survive', (body) => {
    expect(render(body).querySelector('a')).toBeNull();
  });

  it('escapes raw HTML, inside markdown too: it shows as typed and makes no elements', () => {
    const body =
      '<img src=x onerror=alert(1)> **<script>alert(1)</script>** > <iframe src="evil.html"></iframe>\n\n- <b onclick=x>b</b>';
    const html = render(body);
    expect(tagsOf(html).filter((tag) => !['p', 'strong', 'ul', 'li'].includes(tag))).toEqual([]);
    expect(html.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(html.textContent).toContain('<script>alert(1)</script>');
  });

  it('renders nesting and emphasis bombs of the largest allowed body', () => {
    for (const bomb of [
      '*'.repeat(4000),
      '**a'.repeat(1333),
      '*a _b '.repeat(666),
      '>'.repeat(4000),
      '- '.repeat(2000),
      '['.repeat(2000) + ']('.repeat(1000),
      '`'.repeat(4000),
    ]) {
      expect(typeof renderMarkdown(bomb)).toBe('string');
    }
    // Deep quoting is cut at the nesting limit rather than growing the DOM without bound.
    expect(render('>'.repeat(4000)).querySelectorAll('blockquote').length).toBeLessThanOrEqual(20);
  });

  it('marks @mentions, and mentions of the reader apart; e-mail addresses are not mentions', () => {
    const html = render('hi @bob. and @alice_2, not mail@bob.com', 'Bob');
    const mentions = [...html.querySelectorAll('.mention')];
    expect(mentions.map((mention) => mention.textContent)).toEqual(['@bob', '@alice_2']);
    expect(mentions.map((mention) => mention.classList.contains('mention--me'))).toEqual([true, false]);
    expect(html.textContent).toContain('hi @bob. and');
  });

  it('does not treat a mention inside code as one', () => {
    expect(render('`@bob`').querySelector('.mention')).toBeNull();
  });
});
