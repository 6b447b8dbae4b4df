import type { ValueTransformer } from 'typeorm';

/** `pg` returns int8 as a string; seqs stay far below 2^53, so a number is exact. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
