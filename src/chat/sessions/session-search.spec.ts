import { foldName, searchConditions, searchKeys } from './session-search';

describe('session search keys', () => {
  it('folds names: case, accents, white space', () => {
    expect(foldName('  Chloé   MÜLLER ')).toBe('chloe muller');
    expect(foldName('Ines\tGarcía')).toBe('ines garcia');
  });

  it('stores the folded name and the normalized email', () => {
    expect(searchKeys({ name: 'Chloé Rossi', email: ' Chloe.Rossi@Example.com ' })).toEqual({ nameKey: 'chloe rossi', emailKey: 'chloe.rossi@example.com' });
  });

  it('searches anchored literal prefixes of sessionId (as typed), name (folded) and email (lower-cased)', () => {
    expect(searchConditions('Chlo.é*')).toEqual([
      { sessionId: { $regex: '^Chlo\\.é\\*' } },
      { nameKey: { $regex: '^chlo\\.e\\*' } },
      { emailKey: { $regex: '^chlo\\.é\\*' } },
    ]);
  });

  it('leaves out the name condition when nothing of the text is left after folding', () => {
    expect(searchConditions('\u0301').map((c) => Object.keys(c)[0])).toEqual(['sessionId', 'emailKey']);
  });
});
