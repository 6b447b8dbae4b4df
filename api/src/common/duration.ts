const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90s`, `15m`, `12h`, `7d` → seconds. The format is checked by the env validation. */
export function parseDurationSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`Not a duration: ${value}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}
