import MarkdownIt, { type StateInline } from 'markdown-it';

/** The only link schemes that survive; anything else (javascript:, data:, relative paths) stays text. */
const SAFE_LINK = /^(https?:|mailto:)/i;
/** `@name` after a start or a non-name character, as the server resolves mentions (usernames: letters, digits, _ . -). */
const MENTION = /^@([a-zA-Z0-9_][a-zA-Z0-9_.-]{1,31})/;
const NAME_CHAR = /[a-zA-Z0-9_.-]/;

/**
 * The chat's markdown subset: bold, italic, strikethrough, inline code, code blocks, block quotes,
 * lists, links and autolinked URLs, line breaks as typed. Raw HTML is never passed through (it is
 * escaped and shows as typed), headings, tables and images are off (a message is not a document).
 * markdown-it's parser is linear in the input for these rules, so hostile nesting renders in bounded time.
 */
const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, maxNesting: 20 })
  .enable(['code', 'fence', 'blockquote', 'list'])
  .enable(['newline', 'escape', 'backticks', 'strikethrough', 'emphasis', 'link', 'autolink', 'entity'])
  .enable(['linkify']);

md.validateLink = (url) => SAFE_LINK.test(url.trim());
md.linkify.set({ fuzzyEmail: false });

md.renderer.rules['link_open'] = (tokens, index, options, _env, self) => {
  tokens[index].attrSet('target', '_blank');
  tokens[index].attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, index, options);
};

md.inline.ruler.push('mention', (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
  if (state.pos > 0 && NAME_CHAR.test(state.src[state.pos - 1])) return false; // an e-mail address
  const match = MENTION.exec(state.src.slice(state.pos));
  if (!match) return false;
  const username = match[1].replace(/[.-]+$/, ''); // "@bob." ends a sentence
  if (!silent) {
    const token = state.push('mention', '', 0);
    token.content = username;
  }
  state.pos += username.length + 1;
  return true;
});

md.renderer.rules['mention'] = (tokens, index, _options, env?: RenderEnv) => {
  const username = tokens[index].content;
  const me = env?.me;
  const mine = me !== undefined && username.toLowerCase() === me.toLowerCase();
  return `<span class="mention${mine ? ' mention--me' : ''}">@${md.utils.escapeHtml(username)}</span>`;
};

type RenderEnv = Record<string, unknown> & {
  /** The reader's username: mentions of them are marked `mention--me`. */
  me?: string;
};

/** A message body as safe HTML: only the subset's tags, links with safe schemes opening in a new tab. */
export function renderMarkdown(body: string, me?: string): string {
  const env: RenderEnv = { me };
  return md.render(body, env);
}
