// Native modules are built either for Node (tests, runner, benchmarks) or for Electron (npm start,
// packaging). Before Node work, make sure better-sqlite3 and keytar load in this Node; rebuild
// them from source if `npm start` left Electron builds behind.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    require('keytar');
    return true;
  } catch (error) {
    process.stderr.write(
      `Native modules need a rebuild for Node ${process.version}: ${error.message.split('\n')[0]}\n`,
    );
    return false;
  }
}

if (!loads()) {
  execSync('npm rebuild better-sqlite3 keytar', { stdio: 'inherit' });
  if (!loads()) process.exit(1);
}
