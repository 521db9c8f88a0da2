const { BUDGETS, overBudget, widgetSizes } = require('../../scripts/check-web-size.js') as {
  BUDGETS: { launcherBytes: number; chatBytes: number };
  overBudget(sizes: { launcherBytes: number; chatBytes: number }): string[];
  widgetSizes(): { launcherBytes: number; chatBytes: number };
};

describe('widget size budgets (scripts/check-web-size.js, run by npm run build:web)', () => {
  it('keeps the built launcher within 6 KB and the whole chat UI within 40 KB, gzipped', () => {
    const sizes = widgetSizes();
    expect(BUDGETS).toEqual({ launcherBytes: 6 * 1024, chatBytes: 40 * 1024 });
    expect(sizes.launcherBytes).toBeGreaterThan(500);
    expect(sizes.chatBytes).toBeGreaterThan(sizes.launcherBytes);
    expect(overBudget(sizes)).toEqual([]);
  });

  it('names the budget a build exceeds', () => {
    expect(overBudget({ launcherBytes: 6 * 1024 + 1, chatBytes: 1 })).toEqual(['launcherBytes']);
    expect(overBudget({ launcherBytes: 1, chatBytes: 40 * 1024 + 1 })).toEqual(['chatBytes']);
  });
});
