import { fileSize } from './file-size';

describe('fileSize', () => {
  it('says bytes, then KB, MB and GB with one decimal below ten', () => {
    expect(fileSize(812)).toBe('812 B');
    expect(fileSize(14 * 1024)).toBe('14 KB');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(3.4 * 1024 * 1024)).toBe('3.4 MB');
    expect(fileSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(fileSize(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});
