#!/usr/bin/env node
// Entry of the `kelisim` command: resolves the workspace's @kelisim/* aliases in the compiled tree.
const path = require('node:path');
const fs = require('node:fs');
const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'apps', 'cli', 'src', 'main.js'))) {
  console.error('kelisim: the project is not built yet. Run `npm run build` first (npm start does it for you).');
  process.exit(1);
}
const { compilerOptions } = require('../tsconfig.json');
require('tsconfig-paths').register({ baseUrl: dist, paths: compilerOptions.paths });
require(path.join(dist, 'apps', 'cli', 'src', 'main.js'));
