import { validateSync } from 'class-validator';

import { IsTextLength } from './text.validators';

class Named {
  @IsTextLength(1, 3)
  name!: string;
}

const valid = (name: unknown) => validateSync(Object.assign(new Named(), { name })).length === 0;

describe('IsTextLength', () => {
  it('counts code points, as Postgres counts varchar(n)', () => {
    expect(valid('abc')).toBe(true);
    expect(valid('😀😀😀')).toBe(true); // 6 UTF-16 units, 3 code points
    expect(valid('a❤️')).toBe(true); // ❤️ is U+2764 U+FE0F
    expect(valid('❤️❤️')).toBe(false); // 4 code points; class-validator's Length counts 2
    expect(valid('abcd')).toBe(false);
  });

  it('refuses the empty string and what is no string', () => {
    expect(valid('')).toBe(false);
    expect(valid(123)).toBe(false);
    expect(valid(['a'])).toBe(false);
  });
});
