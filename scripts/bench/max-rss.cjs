// Preloaded with `node --require` into the process being measured: writes its
// peak resident set size (bytes) to $PHF_MAX_RSS_FILE when it exits.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.PHF_MAX_RSS_FILE) writeFileSync(process.env.PHF_MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
