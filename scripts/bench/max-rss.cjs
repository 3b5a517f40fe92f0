// Preloaded with `node --require` into the process being measured: writes its
// peak resident set size (bytes) to $PHF_MAX_RSS_FILE, and its CPU time
// (user + system, ms) to $PHF_CPU_FILE, when it exits.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const usage = process.resourceUsage();
  if (process.env.PHF_MAX_RSS_FILE) writeFileSync(process.env.PHF_MAX_RSS_FILE, String(usage.maxRSS * 1024));
  if (process.env.PHF_CPU_FILE) writeFileSync(process.env.PHF_CPU_FILE, String((usage.userCPUTime + usage.systemCPUTime) / 1000));
});
