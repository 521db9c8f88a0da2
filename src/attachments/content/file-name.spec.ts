import { contentDisposition, extensionOf, MAX_FILE_NAME_LENGTH, sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\doc.docx', 'doc.docx'],
    ['evil\u0000name.txt', 'evilname.txt'],
    ['tab\tand\nnewline.txt', 'tabandnewline.txt'],
    ['\u202egnp.exe.txt', 'gnp.exe.txt'],
    ['zero\u200bwidth.txt', 'zerowidth.txt'],
    ['  spaced   out  .txt  ', 'spaced out .txt'],
    ['..', 'file'],
    ['.htaccess', 'htaccess'],
    ['', 'file'],
    ['a:b*c?.txt', 'a_b_c_.txt'],
    ['e\u0301te\u0301.txt', 'été.txt'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('caps the length by characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'😀'.repeat(300)}.docx`);
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('😀.docx')).toBe(true);
  });

  it('extensionOf is lower-case and empty without one', () => {
    expect(extensionOf('a.JPG')).toBe('jpg');
    expect(extensionOf('README')).toBe('');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'résumé "1".pdf')).toBe(`attachment; filename="r_sum_ _1_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf`);
    expect(contentDisposition('inline', "it's (1).png")).toBe(`inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });
});
