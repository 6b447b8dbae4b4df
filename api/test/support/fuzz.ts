import fc from 'fast-check';
import { runInThisContext } from 'node:vm';

import { ErrorCode } from '@chat/contracts';

/**
 * Arbitraries and contract checks for the fuzz suite (fuzz.e2e-spec.ts): hostile inputs for every
 * wire surface, and what every answer must look like however bad the input was.
 */

// ---- strings ------------------------------------------------------------------

/**
 * Strings chosen to break things: blanks Unicode knows but ASCII does not, what Postgres refuses
 * (NUL, lone surrogates), bidi overrides, combining marks, emoji sequences, variation selectors,
 * injection attempts, numbers and ids spelled to confuse a parser.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\r\n ',
  '\u00a0\u2003\u3000',
  '\u2028\u2029',
  '\ufeff',
  '\u200b',
  '\u180e',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ude00y',
  '\ud83d\ude00\ud800',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  'שלום עולם',
  'مرحبا بالعالم',
  'e\u0301\u0302\u0303\u0304\u0305',
  'Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '❤️',
  'a\ufe0f',
  '\ufe0f',
  '👍🏽',
  '\uffff\ufffe',
  '\u{10ffff}',
  "'; DROP TABLE messages; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)--',
  '$1',
  '%s%s%n',
  '\\',
  '"',
  '\\u0000',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  '9007199254740993',
  '0x10',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'a'.repeat(5_000),
  '🙂'.repeat(1_500),
];

/** Any UTF-16 code unit: what a client can really put in a string, NUL and lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
const codePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** Arbitrary UTF-16: code points, raw code units and lone surrogates mixed. */
export const utf16String = (maxLength = 40) =>
  fc.string({ unit: fc.oneof(codePoint, codeUnit, loneSurrogate), maxLength });

/** Random text of every kind: binary code points, graphemes, raw UTF-16, hostile constants. */
export const anyText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    utf16String(maxLength),
    fc.constantFrom(...HOSTILE_STRINGS),
  );

/** Units whose length differs by how one counts: code units, code points, graphemes, JSON bytes. */
const LIMIT_UNITS = [
  'a',
  ' ',
  'é',
  'e\u0301',
  'a\ufe0f',
  '❤️',
  '😀',
  '👍🏽',
  '\u0001',
  '"',
  '\u0000',
  '\ud800',
];

/**
 * Text just below, at or just above `limit` characters, whichever way characters are counted:
 * a unit repeated `limit / width ± 2` times, where width is its length in code units, in code points,
 * or 1 (the unit as one visible character).
 */
export const textAround = (limit: number) =>
  fc
    .record({
      unit: fc.constantFrom(...LIMIT_UNITS),
      width: fc.constantFrom<(unit: string) => number>(
        (unit) => unit.length,
        (unit) => [...unit].length,
        () => 1,
      ),
      delta: fc.integer({ min: -2, max: 2 }),
      prefix: fc.constantFrom('', 'x', ' '),
    })
    .map(
      ({ unit, width, delta, prefix }) =>
        prefix + unit.repeat(Math.max(0, Math.floor(limit / width(unit)) + delta)),
    );

/**
 * The same UUID spelled the ways a lenient parser may accept. Postgres reads all of them as one id;
 * whatever the server accepts must mean that id everywhere, not a second one beside it.
 */
export const SPELLINGS = {
  exact: (id: string) => id,
  upper: (id: string) => id.toUpperCase(),
  braces: (id: string) => `{${id}}`,
  urn: (id: string) => `urn:uuid:${id}`,
  nodash: (id: string) => id.replace(/-/g, ''),
  padded: (id: string) => ` ${id} `,
  nul: (id: string) => `${id}\u0000`,
};
type Spelling = keyof typeof SPELLINGS;
const spelling = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Spelling>('exact') },
  { weight: 2, arbitrary: fc.constant<Spelling>('upper') },
  { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(SPELLINGS) as Spelling[])) },
);

/** Ids worth sending: known ones in any spelling, random UUIDs, and strings that are no ids at all. */
export const idLike = (known: string[]) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.tuple(fc.constantFrom(...known), spelling).map(([id, how]) => SPELLINGS[how](id)),
    },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: anyText() },
  );

/**
 * Like `idLike`, for requests generated before the ids exist (a fresh room per run): a known id is
 * the placeholder `@name:spelling@`, which `renderIds` replaces once the run knows its ids.
 */
export const idRef = (names: string[]) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.tuple(fc.constantFrom(...names), spelling).map(([name, how]) => `@${name}:${how}@`),
    },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: anyText() },
  );

/** Replaces `@name:spelling@` placeholders; `escape` fits the id to where it lands (a path, a JSON string). */
export function renderIds(text: string, ids: Record<string, string>, escape: (id: string) => string): string {
  return text.replace(/@(\w+):(\w+)@/g, (placeholder, name: string, how: string) =>
    name in ids && how in SPELLINGS ? escape(SPELLINGS[how as Spelling](ids[name])) : placeholder,
  );
}

/** Numbers a validator may get wrong: non-integers, unsafe integers, infinities (null over JSON), -0. */
export const anyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    -0,
    0.5,
    -1,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    1e21,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
);

/** Any JSON-serializable value (Socket.IO cannot send BigInt; typed arrays go as binary attachments). */
export const anyValue = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  stringUnit: 'binary',
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withBoxedValues: true,
});

// ---- objects --------------------------------------------------------------------

/**
 * Keys that pollute `Object.prototype` when an object is merged or cloned carelessly. As a literal,
 * `{ __proto__: … }` sets the prototype instead of creating a key, so these are spliced into JSON
 * text, which `JSON.parse` turns into own properties — as the server's parsers will.
 */
export const POLLUTION_ENTRIES: readonly string[] = [
  '"__proto__":{"polluted":"yes"}',
  '"constructor":{"prototype":{"polluted":"yes"}}',
  '"prototype":{"polluted":"yes"}',
  '"__proto__":{"__proto__":{"polluted":"yes"}}',
  '"__proto__":{"constructor":{"prototype":{"polluted":"yes"}}}',
];

/** `object` as JSON, with a pollution entry added at its top level or inside one of its keys. */
export function withPollution(object: Record<string, unknown>, entry: string, underKey?: string): unknown {
  const json = JSON.stringify(object);
  const inner = json === '{}' ? `{${entry}}` : `{${entry},${json.slice(1)}`;
  if (underKey === undefined) return JSON.parse(inner);
  return JSON.parse(`{${JSON.stringify(underKey)}:${inner}}`);
}

/**
 * Objects shaped like a request: mostly the fields the endpoint expects (with any value), some
 * random keys, sometimes a prototype-pollution entry at the top or nested.
 */
export function requestObject(fields: Record<string, fc.Arbitrary<unknown>>) {
  const known = Object.keys(fields);
  const randomEntry = fc.tuple(
    fc.oneof(anyText(12), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 48))),
    anyValue,
  );
  const entry =
    known.length === 0
      ? randomEntry
      : fc.oneof(
          {
            weight: 6,
            arbitrary: fc.constantFrom(...known).chain((key) => fc.tuple(fc.constant(key), fields[key])),
          },
          { weight: 1, arbitrary: randomEntry },
        );
  const plain = fc
    .array(entry, { maxLength: known.length + 2 })
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
  return fc.oneof(
    { weight: 4, arbitrary: plain },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          plain,
          fc.constantFrom(...POLLUTION_ENTRIES),
          fc.option(fc.constantFrom(...known, 'extra'), { nil: undefined }),
        )
        .map(([object, pollution, underKey]) => withPollution(object, pollution, underKey)),
    },
  );
}

/** Not an object at all: what a client may send where an object is expected. */
export const nonObject = fc.oneof(
  anyText(),
  anyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(anyValue, { maxLength: 4 }),
);

/** JSON of `{"a":{"a":…}}` or `[[…]]` nested `depth` levels: a few KB that a recursive walker cannot survive. */
export function nestedJson(depth: number, shape: 'object' | 'array'): string {
  const [open, close] = shape === 'object' ? ['{"a":', '}'] : ['[', ']'];
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** The value of `nestedJson`. */
export function nested(depth: number, shape: 'object' | 'array'): unknown {
  const value = JSON.parse(nestedJson(depth, shape)) as object;
  // Printed as what it is when fast-check reports it, not as thousands of brackets.
  Object.defineProperty(value, fc.toStringMethod, { value: () => `nested(${depth}, '${shape}')` });
  return value;
}

/**
 * Objects and arrays nested from a little to `maxDepth` levels deep (socket.io-client walks a payload
 * recursively itself, and overflows on a few thousand).
 */
export const deeplyNested = (maxDepth: number) =>
  fc
    .tuple(fc.integer({ min: 2, max: maxDepth }), fc.constantFrom<'object' | 'array'>('object', 'array'))
    .map(([depth, shape]) => nested(depth, shape));

/** The same as JSON text (JSON.stringify itself overflows on a few thousand levels). */
export const deeplyNestedJson = fc
  .tuple(fc.integer({ min: 2, max: 6_000 }), fc.constantFrom<'object' | 'array'>('object', 'array'))
  .map(([depth, shape]) => nestedJson(depth, shape));

// ---- answers ----------------------------------------------------------------------

const CONTRACT_CODES = new Set<unknown>(Object.values(ErrorCode));
const ERROR_KEYS = new Set(['code', 'message', 'fields', 'retryAfter']);

/** What must never reach a client: stack frames, SQL and driver errors, source paths. */
const LEAK =
  /\n\s+at |\bat \S+ \(|QueryFailedError|SQLSTATE|violates|syntax error at|relation "|invalid input syntax|node_modules|\.[jt]s:\d+/;

/** An `ErrorBody` of the contract: a known code other than INTERNAL, a message, nothing leaked. */
export function assertContractError(error: unknown, extraKeys: readonly string[] = []): void {
  if (typeof error !== 'object' || error === null)
    throw new Error(`error is not an object: ${String(error)}`);
  const body = error as Record<string, unknown>;
  const unexpected = Object.keys(body).filter((key) => !ERROR_KEYS.has(key) && !extraKeys.includes(key));
  if (unexpected.length > 0) throw new Error(`unexpected keys in the error: ${unexpected.join(', ')}`);
  if (!CONTRACT_CODES.has(body.code)) throw new Error(`code ${String(body.code)} is not in the contract`);
  if (body.code === ErrorCode.INTERNAL) throw new Error(`INTERNAL: ${String(body.message)}`);
  if (typeof body.message !== 'string') throw new Error('message is not a string');
  if (body.fields !== undefined) {
    const fields = body.fields as Record<string, unknown>;
    if (typeof fields !== 'object' || fields === null) throw new Error('fields is not an object');
    for (const [name, messages] of Object.entries(fields)) {
      if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
        throw new Error(`fields.${name} is not a list of messages`);
      }
    }
  }
  if (body.retryAfter !== undefined && typeof body.retryAfter !== 'number')
    throw new Error('retryAfter is no number');
  const text = JSON.stringify(body);
  if (LEAK.test(text)) throw new Error(`the error leaks internals: ${text}`);
}

/** `{ok: true, …}` or `{ok: false, error}` with a contract error. */
export function assertContractAck(ack: unknown): void {
  if (typeof ack !== 'object' || ack === null) throw new Error(`the ack is not an object: ${String(ack)}`);
  const { ok, ...rest } = ack as { ok?: unknown; error?: unknown };
  if (ok === true) return;
  if (ok !== false) throw new Error(`ack.ok is ${String(ok)}`);
  const keys = Object.keys(rest);
  if (keys.length !== 1 || keys[0] !== 'error') throw new Error(`a failed ack has keys ${keys.join(', ')}`);
  assertContractError(rest.error);
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** A 2xx, or a 4xx whose JSON body is `{statusCode, code, message, fields?}`: never a 5xx or an HTML page. */
export function assertContractHttpAnswer(answer: HttpAnswer): void {
  if (answer.status < 200 || answer.status >= 500) {
    throw new Error(`status ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  if (answer.status < 400) return;
  if (!/^application\/json\b/.test(answer.contentType)) {
    throw new Error(`a ${answer.status} as ${answer.contentType}: ${answer.text.slice(0, 500)}`);
  }
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  if (body.statusCode !== answer.status)
    throw new Error(`statusCode ${String(body.statusCode)} ≠ ${answer.status}`);
  assertContractError(body, ['statusCode']);
}

// ---- the process --------------------------------------------------------------------

/**
 * Jest runs a test file in a vm context with its own copy of `process`, whose events never fire:
 * Node emits `unhandledRejection` and `uncaughtException` on the worker's real process, which the
 * app in this file shares. Its `Object.prototype` is the other one a parser could pollute.
 */
const workerProcess = runInThisContext('process') as NodeJS.Process;
const workerObjectPrototype = runInThisContext('Object.prototype') as object;

/** Records what would crash or warn in production: unhandled rejections and uncaught exceptions. */
export class ProcessFaults {
  readonly seen: string[] = [];
  private readonly onRejection = (reason: unknown) =>
    this.seen.push(`unhandledRejection: ${describeFault(reason)}`);
  private readonly onException = (error: unknown) =>
    this.seen.push(`uncaughtException: ${describeFault(error)}`);

  start(): this {
    workerProcess.on('unhandledRejection', this.onRejection);
    workerProcess.on('uncaughtException', this.onException);
    return this;
  }

  stop(): void {
    workerProcess.off('unhandledRejection', this.onRejection);
    workerProcess.off('uncaughtException', this.onException);
  }
}

function describeFault(reason: unknown): string {
  return reason instanceof Error || (typeof reason === 'object' && reason !== null && 'stack' in reason)
    ? String((reason as Error).stack)
    : String(reason);
}

/** Own property names of both realms' `Object.prototype`, to compare before and after. */
export function prototypeKeys(): string[][] {
  return [Object.prototype, workerObjectPrototype].map((prototype) =>
    Object.getOwnPropertyNames(prototype).sort(),
  );
}

export function assertNotPolluted(baseline: string[][]): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined) throw new Error('Object.prototype.polluted is set');
  const now = prototypeKeys();
  if (JSON.stringify(now) !== JSON.stringify(baseline)) {
    throw new Error(`Object.prototype changed: ${JSON.stringify(now)} (was ${JSON.stringify(baseline)})`);
  }
}
