// Generates the benchmark's synthetic monorepo (seeded, so every run and
// every machine gets the same tree) and the truth: every flag usage written
// into it, with the position the contract says `scan --json` reports.
//
//   packages/app-NN/   TypeScript + React (TS/TSX): FEATURE_FLAGS `as const`
//                      objects, string enums, `export *` barrels, wrapper hooks
//                      (one transitive), posthog-js / posthog-node calls
//   services/py-NN/    Python services (posthog module + client, module constants)
//   go/svc-NN/         Go services (FeatureFlagPayload{Key: …}, package constants)
//
// Near-miss negatives are mixed in: LaunchDarkly, GrowthBook, Unleash and
// Optimizely calls (Optimizely's SDK also has `isFeatureEnabled`), keys in
// comments and strings, `posthog.capture`, and a `.gitignore`d folder full of
// real-looking usages that must not be found.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const GENERATOR_VERSION = 4;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ['checkout', 'billing', 'search', 'onboarding', 'dashboard', 'profile', 'cart', 'pricing', 'inbox', 'reports', 'admin', 'mobile', 'editor', 'export', 'import', 'alerts', 'sharing', 'teams', 'sso', 'audit'];
const FEATURES = ['v2', 'redesign', 'express-pay', 'dark-mode', 'ai-assist', 'new-layout', 'bulk-actions', 'beta', 'fast-path', 'inline-edit', 'smart-sort', 'live-preview', 'offline', 'webhooks', 'digest', 'tour', 'quick-filters', 'autosave', 'shortcuts', 'compact-view', 'trial', 'upsell', 'widgets', 'summary', 'history', 'cache'];
const NOUNS = ['user', 'order', 'invoice', 'product', 'account', 'session', 'report', 'message', 'team', 'project', 'payment', 'ticket', 'document', 'event', 'plan', 'coupon', 'address', 'review', 'shipment', 'subscription'];
const VERBS = ['load', 'save', 'fetch', 'update', 'remove', 'build', 'format', 'parse', 'validate', 'render', 'sync', 'merge', 'compute', 'resolve', 'normalize', 'filter', 'group', 'sort', 'export', 'track'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const camel = (kebab) => kebab.split('-').map((p, i) => (i ? cap(p) : p)).join('');
const pascal = (kebab) => cap(camel(kebab));
const screaming = (kebab) => kebab.replace(/-/g, '_').toUpperCase();

/**
 * Writes the tree under `outDir` and returns the truth.
 * @returns {{truth: {key: string, file: string, line: number, column: number, kind: string, call: string}[], files: number, lines: number, bytes: number}}
 */
export function generate({ outDir, seed = 20261125, packages = 40, filesPerPackage = 80, pyServices = 20, filesPerPy = 52, goServices = 15, filesPerGo = 50 }) {
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;

  const keyPool = [];
  for (const a of AREAS) for (const f of FEATURES) keyPool.push(`${a}-${f}`);
  const truth = [];
  let files = 0;
  let lines = 0;
  let bytes = 0;

  /** A file under construction: tracks line numbers so usages can be recorded where they are written. */
  class Out {
    constructor(file) {
      this.file = file;
      this.lines = [];
    }
    push(...ls) {
      this.lines.push(...ls);
    }
    /** Adds a line holding a usage; `marker` is the text whose first character is the reported column. */
    usage(line, marker, key, kind, call) {
      const at = line.indexOf(marker);
      if (at < 0) throw new Error(`marker ${marker} not in ${line}`);
      this.lines.push(line);
      truth.push({ key, file: this.file, line: this.lines.length, column: at + 1, kind, call });
    }
    write() {
      const text = `${this.lines.join('\n')}\n`;
      const abs = join(outDir, this.file);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      files++;
      lines += this.lines.length;
      bytes += text.length;
    }
  }

  const ident = () => `${pick(VERBS)}${pascal(pick(NOUNS))}`;

  // ---------- non-flag code ----------
  function tsInterface(o) {
    const n = pascal(pick(NOUNS));
    o.push(`export interface ${n}${int(1, 999)} {`, `  id: string;`, `  createdAt: Date;`);
    for (let i = int(2, 8); i > 0; i--) o.push(`  ${camel(pick(NOUNS))}${i}?: ${pick(['string', 'number', 'boolean', 'string[]', 'Record<string, number>'])};`);
    o.push('}', '');
  }
  function tsFunction(o) {
    const name = `${ident()}${int(1, 9999)}`;
    const n = pick(NOUNS);
    o.push(
      `export async function ${name}(${n}Id: string, options: { retries?: number } = {}): Promise<number> {`,
      `  const retries = options.retries ?? ${int(1, 5)};`,
      `  let total = 0;`,
      `  for (let attempt = 0; attempt < retries; attempt++) {`,
      `    const response = await fetch(\`/api/${n}s/\${${n}Id}?attempt=\${attempt}\`);`,
      `    if (!response.ok) continue;`,
      `    const body = (await response.json()) as { items: { value: number }[] };`,
      `    total += body.items.reduce((sum, item) => sum + item.value, 0);`,
      `    break;`,
      `  }`,
      `  return total * ${int(1, 100)};`,
      `}`,
      '',
    );
  }
  function tsClass(o) {
    const n = pascal(pick(NOUNS));
    o.push(`export class ${n}Service${int(1, 999)} {`, `  private readonly cache = new Map<string, ${n}Record>();`, '');
    for (let i = int(2, 5); i > 0; i--) {
      o.push(
        `  ${pick(VERBS)}${i}(id: string): ${n}Record | undefined {`,
        `    const hit = this.cache.get(id);`,
        `    if (hit && hit.version > ${int(0, 9)}) return hit;`,
        `    const fresh: ${n}Record = { id, version: ${int(1, 50)}, tags: ['${pick(NOUNS)}', '${pick(NOUNS)}'] };`,
        `    this.cache.set(id, fresh);`,
        `    return fresh;`,
        `  }`,
        '',
      );
    }
    o.push('}', '', `interface ${n}Record {`, '  id: string;', '  version: number;', '  tags: string[];', '}', '');
  }
  function tsUtil(o) {
    const name = `${pick(VERBS)}${pascal(pick(NOUNS))}List${int(1, 9999)}`;
    o.push(
      `export const ${name} = <T extends { id: string }>(items: T[], limit = ${int(5, 50)}): T[] =>`,
      `  items`,
      `    .filter((item) => item.id.length > ${int(0, 3)})`,
      `    .sort((a, b) => a.id.localeCompare(b.id))`,
      `    .slice(0, limit);`,
      '',
    );
  }
  function tsxComponent(o) {
    const name = `${pascal(pick(NOUNS))}${pick(['Card', 'List', 'Panel', 'Row', 'Badge', 'Form'])}${int(1, 9999)}`;
    o.push(
      `export function ${name}({ title, items }: { title: string; items: { id: string; label: string }[] }) {`,
      `  const [open, setOpen] = useState(${chance(0.5)});`,
      `  const visible = useMemo(() => items.filter((i) => i.label.length > ${int(0, 4)}), [items]);`,
      `  return (`,
      `    <section className="${pick(NOUNS)}-${pick(['card', 'list', 'panel'])}">`,
      `      <h2 onClick={() => setOpen(!open)}>{title}</h2>`,
      `      {open && (`,
      `        <ul>`,
      `          {visible.map((item) => (`,
      `            <li key={item.id}>{item.label}</li>`,
      `          ))}`,
      `        </ul>`,
      `      )}`,
      `    </section>`,
      `  );`,
      `}`,
      '',
    );
  }
  function tsTest(o) {
    const n = pick(NOUNS);
    o.push(`describe('${n} ${pick(VERBS)}', () => {`);
    for (let i = int(2, 5); i > 0; i--) {
      o.push(
        `  it('handles case ${i}', () => {`,
        `    const input = { id: '${n}-${i}', value: ${int(1, 100)} };`,
        `    expect(input.value).toBeGreaterThan(0);`,
        `    expect(input.id).toContain('${n}');`,
        `  });`,
      );
    }
    o.push('});', '');
  }
  function pyBlock(o) {
    const n = pick(NOUNS);
    if (chance(0.5)) {
      o.push(
        `def ${pick(VERBS)}_${n}_${int(1, 9999)}(${n}_id, retries=${int(1, 5)}):`,
        `    """${cap(pick(VERBS))} a ${n} and return its total."""`,
        `    total = 0`,
        `    for attempt in range(retries):`,
        `        response = requests.get(f"/api/${n}s/{${n}_id}", params={"attempt": attempt}, timeout=5)`,
        `        if response.status_code != 200:`,
        `            continue`,
        `        total += sum(item["value"] for item in response.json()["items"])`,
        `        break`,
        `    return total * ${int(1, 100)}`,
        '',
        '',
      );
    } else {
      o.push(`class ${cap(n)}Repository${int(1, 999)}:`, `    def __init__(self, db):`, `        self.db = db`, `        self.cache = {}`, '');
      for (let i = int(2, 4); i > 0; i--) {
        o.push(
          `    def ${pick(VERBS)}_${i}(self, key):`,
          `        if key in self.cache:`,
          `            return self.cache[key]`,
          `        row = self.db.execute("SELECT * FROM ${n}s WHERE id = %s", (key,)).fetchone()`,
          `        self.cache[key] = row`,
          `        return row`,
          '',
        );
      }
      o.push('');
    }
  }
  function goBlock(o) {
    const n = pick(NOUNS);
    const fn = `${pascal(pick(VERBS))}${pascal(n)}${int(1, 9999)}`;
    o.push(
      `// ${fn} ${pick(VERBS)}s a ${n} and returns its total.`,
      `func ${fn}(ctx context.Context, ids []string) (int, error) {`,
      `\ttotal := 0`,
      `\tfor i, id := range ids {`,
      `\t\tif id == "" {`,
      `\t\t\treturn 0, fmt.Errorf("empty ${n} id at %d", i)`,
      `\t\t}`,
      `\t\ttotal += len(id) * ${int(1, 50)}`,
      `\t}`,
      `\tselect {`,
      `\tcase <-ctx.Done():`,
      `\t\treturn 0, ctx.Err()`,
      `\tdefault:`,
      `\t}`,
      `\treturn total, nil`,
      `}`,
      '',
    );
  }
  const fill = (o, target, blocks) => {
    while (o.lines.length < target) pick(blocks)(o);
  };

  // ---------- TypeScript packages ----------
  for (let p = 0; p < packages; p++) {
    const pkg = `packages/app-${String(p).padStart(2, '0')}`;
    const src = `${pkg}/src`;
    const keys = [];
    while (keys.length < 14) {
      const k = pick(keyPool);
      if (!keys.includes(k)) keys.push(k);
    }
    const constKeys = keys.slice(0, 6); // FEATURE_FLAGS.X
    const nestedKeys = keys.slice(6, 8); // FEATURE_FLAGS.billing.X
    const enumKeys = keys.slice(8, 12); // Flag.X
    const literalKeys = keyPool; // any key can be written literally
    const constName = (k) => screaming(k);
    const enumName = (k) => pascal(k);

    let o = new Out(`${src}/flags/constants.ts`);
    o.push('/** Flag keys used across this app. */', 'export const FEATURE_FLAGS = {');
    for (const k of constKeys) o.push(`  ${constName(k)}: '${k}',`);
    o.push('  billing: {');
    for (const k of nestedKeys) o.push(`    ${constName(k)}: '${k}',`);
    o.push('  },', '} as const;', '');
    o.write();

    o = new Out(`${src}/flags/flag-enum.ts`);
    o.push('export enum Flag {');
    for (const k of enumKeys) o.push(`  ${enumName(k)} = '${k}',`);
    o.push('}', '');
    o.write();

    o = new Out(`${src}/flags/use-gate.ts`);
    o.push(
      "import { useFeatureFlagEnabled } from 'posthog-js/react';",
      '',
      '/** False until flags load. */',
      'export function useGate(flag: string): boolean {',
      '  return useFeatureFlagEnabled(flag) ?? false;',
      '}',
      '',
      '/** Same as useGate, kept for older screens. */',
      'export function useFeature(name: string): boolean {',
      '  return useGate(name);',
      '}',
      '',
    );
    o.write();

    o = new Out(`${src}/flags/server-gate.ts`);
    o.push(
      "import { PostHog } from 'posthog-node';",
      '',
      "export const posthogServer = new PostHog(process.env.POSTHOG_TOKEN ?? '', { host: 'https://us.i.posthog.com' });",
      '',
      'export async function isOn(key: string, distinctId: string): Promise<boolean> {',
      '  return (await posthogServer.isFeatureEnabled(key, distinctId)) ?? false;',
      '}',
      '',
    );
    o.write();

    o = new Out(`${src}/flags/index.ts`);
    o.push("export * from './constants';", "export * from './flag-enum';", "export * from './use-gate';", "export * from './server-gate';", '');
    o.write();

    // A folder the package's .gitignore leaves out: real-looking usages that must not be found.
    o = new Out(`${pkg}/.gitignore`);
    o.push('generated/', '*.local.ts', '');
    o.write();
    o = new Out(`${pkg}/generated/client.ts`);
    o.push("import posthog from 'posthog-js';", `export const ignored = posthog.isFeatureEnabled('${pick(keyPool)}');`, '');
    o.write();

    const kinds = ['components', 'components', 'components', 'hooks', 'services', 'services', 'utils', 'utils', '__tests__', 'integrations'];
    for (let f = 0; f < filesPerPackage - 7; f++) {
      const folder = pick(kinds);
      const tsx = folder === 'components';
      const name = `${folder === '__tests__' ? '' : ''}${pick(NOUNS)}-${pick(VERBS)}-${f}`;
      const file = `${src}/${folder}/${name}${folder === '__tests__' ? '.test.ts' : tsx ? '.tsx' : '.ts'}`;
      o = new Out(file);
      const target = int(120, 300);
      const usages = folder === '__tests__' ? 0 : pick([0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
      const client = folder === 'services';
      if (folder === 'integrations') {
        // Other vendors only: nothing here is a PostHog usage.
        const vendor = pick(['ld', 'gb', 'unleash', 'optimizely']);
        const k = pick(keyPool);
        if (vendor === 'ld') o.push("import * as LaunchDarkly from 'launchdarkly-node-server-sdk';", '', "const ld = LaunchDarkly.init(process.env.LD_SDK_KEY ?? '');", '', 'export async function legacyGate(user: string) {', `  return ld.variation('${k}', { key: user }, false);`, '}', '');
        if (vendor === 'gb') o.push("import { GrowthBook } from '@growthbook/growthbook';", '', 'const gb = new GrowthBook({});', '', 'export function growthGate() {', `  return gb.isOn('${k}') && gb.getFeatureValue('${k}', 0) > 1;`, '}', '');
        if (vendor === 'unleash') o.push("import { initialize } from 'unleash-client';", '', "const unleash = initialize({ url: 'https://unleash.internal/api', appName: 'app' });", '', 'export function unleashGate() {', `  return unleash.isEnabled('${k}');`, '}', '');
        if (vendor === 'optimizely') o.push("import optimizely from '@optimizely/optimizely-sdk';", '', "const optimizelyClient = optimizely.createInstance({ sdkKey: 'abc' });", '', 'export function optimizelyGate(userId: string) {', `  return optimizelyClient?.isFeatureEnabled('${k}', userId);`, '}', '');
        fill(o, target, [tsFunction, tsUtil, tsInterface]);
        o.write();
        continue;
      }
      const needsFlags = usages > 0;
      if (tsx) o.push("import { useMemo, useState } from 'react';");
      if (needsFlags || chance(0.1)) o.push(client ? "import { PostHog } from 'posthog-node';" : "import posthog from 'posthog-js';");
      if (needsFlags && tsx) o.push("import { PostHogFeature, useFeatureFlagEnabled, useFeatureFlagPayload, useFeatureFlagVariantKey } from 'posthog-js/react';");
      if (needsFlags) o.push(chance(0.5) ? "import { FEATURE_FLAGS, Flag, useFeature, useGate, isOn } from '../flags';" : "import { FEATURE_FLAGS } from '../flags/constants';\nimport { Flag } from '../flags/flag-enum';\nimport { useFeature, useGate } from '../flags/use-gate';\nimport { isOn } from '../flags/server-gate';");
      // The joined import above counts as several lines.
      o.lines = o.lines.flatMap((l) => l.split('\n'));
      if (client) o.push('', "const client = new PostHog(process.env.POSTHOG_TOKEN ?? '');");
      o.push('');
      if (!needsFlags && chance(0.05)) o.push(`// Note: posthog.isFeatureEnabled('${pick(keyPool)}') was removed in the last release.`, '');
      if (!needsFlags && chance(0.03)) o.push(`const HELP_TEXT = "Call useFeatureFlagEnabled('${pick(keyPool)}') inside a component.";`, 'export const helpText = () => HELP_TEXT;', '');
      const blocks = tsx ? [tsxComponent, tsxComponent, tsUtil, tsInterface] : folder === 'services' ? [tsClass, tsFunction, tsInterface] : [tsFunction, tsUtil, tsInterface, tsClass];
      fill(o, Math.floor(target / 2), blocks);
      for (let u = 0; u < usages; u++) {
        const form = pick(tsx ? ['hook', 'variant', 'payload', 'component', 'const', 'nested', 'enum', 'gate-lit', 'gate-const', 'feature', 'js'] : client ? ['node', 'node', 'node-const', 'node-enum', 'isOn'] : ['js', 'js-variant', 'js-const', 'js-enum', 'js-nested', 'js-payload']);
        const fn = `check${int(1, 99999)}`;
        const lit = pick(literalKeys);
        const c = pick(constKeys);
        const nk = pick(nestedKeys);
        const e = pick(enumKeys);
        if (tsx) {
          o.push(`export function ${pascal(fn)}() {`);
          if (form === 'hook') o.usage(`  const enabled = useFeatureFlagEnabled('${lit}');`, `${lit}'`, lit, 'literal', 'useFeatureFlagEnabled');
          if (form === 'variant') o.usage(`  const enabled = useFeatureFlagVariantKey('${lit}') === 'test';`, `${lit}'`, lit, 'literal', 'useFeatureFlagVariantKey');
          if (form === 'payload') o.usage(`  const enabled = Boolean(useFeatureFlagPayload('${lit}'));`, `${lit}'`, lit, 'literal', 'useFeatureFlagPayload');
          if (form === 'const') o.usage(`  const enabled = useFeatureFlagEnabled(FEATURE_FLAGS.${constName(c)});`, 'FEATURE_FLAGS.', c, 'constant', 'useFeatureFlagEnabled');
          if (form === 'nested') o.usage(`  const enabled = useFeatureFlagEnabled(FEATURE_FLAGS.billing.${constName(nk)});`, 'FEATURE_FLAGS.', nk, 'constant', 'useFeatureFlagEnabled');
          if (form === 'enum') o.usage(`  const enabled = useFeatureFlagEnabled(Flag.${enumName(e)});`, 'Flag.', e, 'constant', 'useFeatureFlagEnabled');
          if (form === 'gate-lit') o.usage(`  const enabled = useGate('${lit}');`, `${lit}'`, lit, 'wrapper', 'useGate');
          if (form === 'gate-const') o.usage(`  const enabled = useGate(FEATURE_FLAGS.${constName(c)});`, 'FEATURE_FLAGS.', c, 'wrapper', 'useGate');
          if (form === 'feature') o.usage(`  const enabled = useFeature('${lit}');`, `${lit}'`, lit, 'wrapper', 'useFeature');
          if (form === 'js') o.usage(`  const enabled = posthog.isFeatureEnabled('${lit}');`, `${lit}'`, lit, 'literal', 'isFeatureEnabled');
          if (form === 'component') {
            o.push('  const enabled = true;', '  return (');
            o.usage(`    <PostHogFeature flag="${lit}" match={true}>`, `${lit}"`, lit, 'literal', 'PostHogFeature');
            o.push('      <p>New experience</p>', '    </PostHogFeature>', '  );', '}', '');
            continue;
          }
          o.push('  return enabled ? <strong>on</strong> : <span>off</span>;', '}', '');
        } else {
          o.push(`export async function ${fn}(userId: string): Promise<boolean> {`);
          if (form === 'node') o.usage(`  const enabled = await client.isFeatureEnabled('${lit}', userId);`, `${lit}'`, lit, 'literal', 'isFeatureEnabled');
          if (form === 'node-const') o.usage(`  const enabled = await client.getFeatureFlag(FEATURE_FLAGS.${constName(c)}, userId);`, 'FEATURE_FLAGS.', c, 'constant', 'getFeatureFlag');
          if (form === 'node-enum') o.usage(`  const enabled = await client.isFeatureEnabled(Flag.${enumName(e)}, userId);`, 'Flag.', e, 'constant', 'isFeatureEnabled');
          if (form === 'isOn') o.usage(`  const enabled = await isOn('${lit}', userId);`, `${lit}'`, lit, 'wrapper', 'isOn');
          if (form === 'js') o.usage(`  const enabled = posthog.isFeatureEnabled('${lit}');`, `${lit}'`, lit, 'literal', 'isFeatureEnabled');
          if (form === 'js-variant') o.usage(`  const enabled = posthog.getFeatureFlag('${lit}') === 'control';`, `${lit}'`, lit, 'literal', 'getFeatureFlag');
          if (form === 'js-payload') o.usage(`  const enabled = posthog.getFeatureFlagPayload('${lit}') !== undefined;`, `${lit}'`, lit, 'literal', 'getFeatureFlagPayload');
          if (form === 'js-const') o.usage(`  const enabled = posthog.isFeatureEnabled(FEATURE_FLAGS.${constName(c)});`, 'FEATURE_FLAGS.', c, 'constant', 'isFeatureEnabled');
          if (form === 'js-nested') o.usage(`  const enabled = posthog.isFeatureEnabled(FEATURE_FLAGS.billing.${constName(nk)});`, 'FEATURE_FLAGS.', nk, 'constant', 'isFeatureEnabled');
          if (form === 'js-enum') o.usage(`  const enabled = posthog.isFeatureEnabled(Flag.${enumName(e)});`, 'Flag.', e, 'constant', 'isFeatureEnabled');
          o.push(`  return Boolean(enabled) && userId.length > 0;`, '}', '');
        }
      }
      if (!needsFlags && o.lines.some((l) => l.includes("from 'posthog-js'"))) o.push(`export const track${int(1, 9999)} = () => posthog.capture('${pick(NOUNS)}_${pick(VERBS)}ed');`, '');
      if (folder === '__tests__') fill(o, target, [tsTest]);
      else fill(o, target, blocks);
      o.write();
    }
  }

  // ---------- Python services ----------
  for (let s = 0; s < pyServices; s++) {
    const svc = `services/py-${String(s).padStart(2, '0')}`;
    for (let f = 0; f < filesPerPy; f++) {
      const o = new Out(`${svc}/app/${pick(NOUNS)}_${pick(VERBS)}_${f}.py`);
      const usages = pick([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
      const vendor = usages === 0 && chance(0.15);
      o.push(`"""${cap(pick(NOUNS))} handlers."""`, 'import requests');
      if (usages) o.push('import posthog', 'from posthog import Posthog', '', "posthog_client = Posthog('phc_bench', host='https://us.i.posthog.com')");
      if (vendor) o.push('import ldclient', '', 'def legacy_gate(context):', `    return ldclient.get().variation("${pick(keyPool)}", context, False)`);
      o.push('');
      const constants = [];
      if (usages && chance(0.5)) {
        const k = pick(keyPool);
        const name = `${screaming(k)}_FLAG`;
        constants.push({ k, name });
        o.push(`${name} = "${k}"`, '');
      }
      if (!usages && chance(0.05)) o.push(`# posthog.feature_enabled("${pick(keyPool)}", user_id) was removed`, '');
      const target = int(120, 280);
      fill(o, Math.floor(target / 2), [pyBlock]);
      for (let u = 0; u < usages; u++) {
        const lit = pick(keyPool);
        o.push(`def handler_${int(1, 99999)}(user_id):`);
        const form = constants.length && chance(0.4) ? 'const' : pick(['enabled', 'flag', 'payload', 'keyword']);
        if (form === 'const') o.usage(`    if posthog.feature_enabled(${constants[0].name}, user_id):`, constants[0].name, constants[0].k, 'constant', 'feature_enabled');
        if (form === 'enabled') o.usage(`    if posthog.feature_enabled("${lit}", user_id):`, `${lit}"`, lit, 'literal', 'feature_enabled');
        if (form === 'flag') o.usage(`    if posthog.get_feature_flag("${lit}", user_id) == "test":`, `${lit}"`, lit, 'literal', 'get_feature_flag');
        if (form === 'payload') o.usage(`    if posthog_client.get_feature_flag_payload("${lit}", user_id):`, `${lit}"`, lit, 'literal', 'get_feature_flag_payload');
        if (form === 'keyword') o.usage(`    if posthog_client.feature_enabled(key="${lit}", distinct_id=user_id):`, `${lit}"`, lit, 'literal', 'feature_enabled');
        o.push('        return True', '    return False', '', '');
      }
      fill(o, target, [pyBlock]);
      o.write();
    }
  }

  // ---------- Go services ----------
  for (let s = 0; s < goServices; s++) {
    const svc = `go/svc-${String(s).padStart(2, '0')}`;
    for (let f = 0; f < filesPerGo; f++) {
      const o = new Out(`${svc}/internal/${pick(NOUNS)}_${pick(VERBS)}_${f}.go`);
      const usages = pick([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
      o.push(`package ${pick(NOUNS)}s`, '', 'import (', '\t"context"', '\t"fmt"');
      if (usages) o.push('', '\tposthog "github.com/posthog/posthog-go"');
      o.push(')', '');
      let constant;
      if (usages && chance(0.5)) {
        const k = pick(keyPool);
        constant = { k, name: `flag${pascal(k)}` };
        o.push(`const ${constant.name} = "${k}"`, '');
      }
      if (!usages && chance(0.05)) o.push(`// client.IsFeatureEnabled(posthog.FeatureFlagPayload{Key: "${pick(keyPool)}"}) used to live here.`, '');
      if (!usages && chance(0.1)) o.push('func legacyGate(ld *ldclient.LDClient, ctx ldcontext.Context) bool {', `\tv, _ := ld.BoolVariation("${pick(keyPool)}", ctx, false)`, '\treturn v', '}', '');
      const target = int(120, 280);
      fill(o, Math.floor(target / 2), [goBlock]);
      for (let u = 0; u < usages; u++) {
        const lit = pick(keyPool);
        o.push(`func handle${int(1, 99999)}(client posthog.Client, userID string) bool {`);
        const form = constant && chance(0.4) ? 'const' : pick(['multi', 'one']);
        if (form === 'const') {
          o.push('\tenabled, _ := client.IsFeatureEnabled(posthog.FeatureFlagPayload{');
          o.usage(`\t\tKey:        ${constant.name},`, constant.name, constant.k, 'constant', 'IsFeatureEnabled');
          o.push('\t\tDistinctId: userID,', '\t})');
        } else if (form === 'multi') {
          o.push('\tenabled, _ := client.IsFeatureEnabled(posthog.FeatureFlagPayload{');
          o.usage(`\t\tKey:        "${lit}",`, `${lit}"`, lit, 'literal', 'IsFeatureEnabled');
          o.push('\t\tDistinctId: userID,', '\t})');
        } else {
          o.usage(`\tenabled, _ := client.GetFeatureFlag(posthog.FeatureFlagPayload{Key: "${lit}", DistinctId: userID})`, `${lit}"`, lit, 'literal', 'GetFeatureFlag');
        }
        o.push('\treturn enabled == true', '}', '');
      }
      fill(o, target, [goBlock]);
      o.write();
    }
  }
  return { truth, files, lines, bytes };
}
