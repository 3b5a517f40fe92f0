// Checks of machine formats shared by unit and CLI tests: a SARIF 2.1.0
// validator and a parser of GitHub workflow commands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';

/** A SARIF 2.1.0 validator from the OASIS schema (draft-04) in test/fixtures/sarif. */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv04({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

/** Parses `::cmd k=v,k=v::message` back, undoing the workflow-command escaping. */
export function parseGithubCommand(line: string) {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) return undefined;
  const unescape = (s: string) => s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const kv of m[2].split(',')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
  }
  return { command: m[1], props, message: unescape(m[3]) };
}
