// Fails the build when the widget grows past its budgets (issue 23): what every visitor of a host
// page downloads (/widget.js) and what opening the chat adds (everything under /widget/).
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const BUDGETS = { launcherBytes: 6 * 1024, chatBytes: 40 * 1024 };

function gzipSize(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Gzipped sizes of web/dist's widget: the launcher alone, and the launcher plus every chat UI file. */
function widgetSizes(dist = join(__dirname, '..', 'web', 'dist')) {
  const launcherBytes = gzipSize(join(dist, 'widget.js'));
  const chatBytes = launcherBytes + filesUnder(join(dist, 'widget')).reduce((sum, file) => sum + gzipSize(file), 0);
  return { launcherBytes, chatBytes };
}

function overBudget(sizes) {
  return Object.keys(BUDGETS).filter((key) => sizes[key] > BUDGETS[key]);
}

module.exports = { BUDGETS, widgetSizes, overBudget };

if (require.main === module) {
  const sizes = widgetSizes();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`widget size (gzip): launcher ${kb(sizes.launcherBytes)} of ${kb(BUDGETS.launcherBytes)}, whole chat UI ${kb(sizes.chatBytes)} of ${kb(BUDGETS.chatBytes)}`);
  const over = overBudget(sizes);
  if (over.length > 0) {
    console.error(`widget size budget exceeded: ${over.join(', ')}`);
    process.exit(1);
  }
}
