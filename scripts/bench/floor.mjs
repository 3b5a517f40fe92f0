// The floor: a bare node process that only walks the tree (skipping
// node_modules and dot-folders) and reads every file. Nothing can scan faster
// than this in node; `npm run bench` prints scan time as a ratio to it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
let bytes = 0;
const stack = [process.argv[2]];
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) stack.push(path);
    else if (e.isFile()) {
      bytes += readFileSync(path).length;
      files++;
    }
  }
}
process.stdout.write(`${files} ${bytes}\n`);
