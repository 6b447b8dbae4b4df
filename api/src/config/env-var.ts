import { z } from 'zod';

import { DURATION_PATTERN, parseDurationSeconds } from '../common/duration';

/**
 * One environment variable: how its text is checked and converted, its value when unset, and the
 * words of its row in the README's configuration table. Made by the helpers below, one line each.
 */
export interface EnvVar<T> {
  /** Integers are handed to ConfigModule converted; other values as they were given. */
  readonly kind: 'int' | 'text';
  readonly schema: z.ZodType<T, string>;
  readonly fallback: T;
  /** README: what the variable accepts, e.g. `integer 1–200`. */
  readonly type: string;
  /** README: what applies when it is unset. */
  readonly unset: string;
  readonly doc: string;
  /** An empty value counts as unset, except for variables where empty is a mistake worth refusing. */
  readonly emptyIsUnset: boolean;
}

export type EnvSpec = Record<string, EnvVar<unknown>>;
export type EnvValues<S extends EnvSpec> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

const code = (value: unknown) => `\`${String(value)}\``;

function envVar<T>(
  schema: z.ZodType<T, string>,
  fallback: T,
  type: string,
  unset: string | undefined,
  doc: string,
  emptyIsUnset = true,
): EnvVar<T> {
  return {
    kind: 'text',
    schema,
    fallback,
    type,
    unset: unset ?? (fallback === null ? 'unset' : code(fallback)),
    doc,
    emptyIsUnset,
  };
}

/** An integer within `[min, max]`. */
export function int(min: number, max: number, fallback: number, doc: string, unset?: string): EnvVar<number> {
  const error = `must be an integer from ${min} to ${max}`;
  const schema = z.coerce.number<string>({ error }).int({ error }).min(min, { error }).max(max, { error });
  return { ...envVar(schema, fallback, `integer ${min}–${max}`, unset, doc), kind: 'int' };
}

interface TextOptions {
  /** The whole value must match; `hint` says what was expected. */
  pattern?: RegExp;
  hint?: string;
  minLength?: number;
  /** README text of the behaviour when unset (the value is then null). */
  unset?: string;
  /** Refuse an empty value instead of reading it as unset. */
  refuseEmpty?: boolean;
}

/** Free or patterned text; null when unset unless a fallback is given. */
export function text(options: TextOptions & { fallback: string }, doc: string): EnvVar<string>;
export function text(options: TextOptions, doc: string): EnvVar<string | null>;
export function text(options: TextOptions & { fallback?: string }, doc: string): EnvVar<string | null> {
  let schema = z.string();
  if (options.minLength !== undefined) {
    schema = schema.min(options.minLength, `must be at least ${options.minLength} characters`);
  }
  if (options.pattern) schema = schema.regex(options.pattern, `must be ${options.hint ?? options.pattern}`);
  const type = options.hint ?? (options.minLength ? `text, ≥ ${options.minLength} characters` : 'text');
  return envVar(schema, options.fallback ?? null, type, options.unset, doc, !options.refuseEmpty);
}

/** One of a fixed set of words; with a null fallback the namespace decides (`unset` says how). */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
  doc: string,
): EnvVar<T[number]>;
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: null,
  doc: string,
  unset: string,
): EnvVar<T[number] | null>;
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number] | null,
  doc: string,
  unset?: string,
): EnvVar<T[number] | null> {
  const schema = z.string().pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));
  return envVar<T[number] | null>(schema, fallback, values.map(code).join(', '), unset, doc);
}

/** `true` or `false`. */
export function flag(fallback: boolean, doc: string): EnvVar<boolean> {
  const schema = z
    .string()
    .refine((value) => value === 'true' || value === 'false', 'must be true or false')
    .transform((value) => value === 'true');
  return envVar(schema, fallback, '`true`, `false`', undefined, doc);
}

/** A duration such as `3600`, `90s`, `15m`, `12h` or `7d`, read as seconds. */
export function duration(
  fallback: string,
  doc: string,
  options: { positive?: boolean } = {},
): EnvVar<number> {
  const hint = `a duration${options.positive ? ' above zero' : ''} such as 3600, 90s, 15m, 12h or 7d`;
  const schema = z
    .string()
    .regex(DURATION_PATTERN, `must be ${hint}`)
    .transform(parseDurationSeconds)
    .refine((seconds) => !options.positive || seconds > 0, `must be ${hint}`);
  const type = `duration${options.positive ? ' > 0' : ''}: \`3600\`, \`90s\`, \`15m\`, \`12h\`, \`7d\``;
  return envVar(schema, parseDurationSeconds(fallback), type, code(fallback), doc);
}

function isUnset(value: string | undefined, variable: EnvVar<unknown>): boolean {
  return value === undefined || (value === '' && variable.emptyIsUnset);
}

/** The values of a namespace's variables: each one's fallback when unset. Call after `checkEnvironment`. */
export function readEnv<S extends EnvSpec>(spec: S, source: NodeJS.ProcessEnv = process.env): EnvValues<S> {
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = source[name];
    values[name] = isUnset(raw, variable) ? variable.fallback : variable.schema.parse(raw);
  }
  return values as EnvValues<S>;
}

/** Checks every variable that is set; one line per problem (`NAME must be …`). */
export function checkEnv(spec: EnvSpec, source: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || (raw === '' && variable.emptyIsUnset)) continue;
    const result = variable.schema.safeParse(String(raw));
    if (!result.success) problems.push(...result.error.issues.map((issue) => `${name} ${issue.message}`));
  }
  return problems;
}

/** The README's configuration table, generated from the specs (checked by a unit test). */
export function configTable(spec: EnvSpec): string {
  const cell = (value: string) => value.replaceAll('|', '\\|');
  const rows = Object.entries(spec).map(
    ([name, v]) => `| \`${name}\` | ${cell(v.type)} | ${cell(v.unset)} | ${cell(v.doc)} |`,
  );
  return ['| variable | accepts | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
