const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A duration such as `3600`, `90s`, `15m`, `12h` or `7d` (seconds when the unit is left out). */
export const DURATION_PATTERN = /^(\d+)([smhd]?)$/;

/** `3600`, `90s`, `15m`, `12h`, `7d` → seconds. */
export function parseDurationSeconds(value: string): number {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new Error(`Not a duration: ${value}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}
