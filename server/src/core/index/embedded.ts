/**
 * Script blocks of single-file components (.vue, .svelte) and Astro files.
 *
 * Rather than cutting blocks out and mapping positions back, the whole file is
 * kept with everything outside the script blocks blanked to spaces (line ends
 * kept), so offsets, lines and columns in the masked text are the file's own.
 */

export interface EmbeddedScript {
  /** The file with every character outside script code replaced by a space. */
  text: string;
  /** True when some block says `lang="tsx"`/`"jsx"`, so JSX must be parsed. */
  jsx: boolean;
  /** Number of script regions found (0: nothing to parse). */
  blocks: number;
}

const SCRIPT_OPEN = /<script\b([^>]*)>/gi;
const SCRIPT_CLOSE = /<\/script\s*>/gi;
const LANG_ATTR = /\blang\s*=\s*["']?([a-z]+)/i;

export function maskEmbeddedScripts(text: string, languageId: string): EmbeddedScript {
  const regions: Array<[number, number]> = [];
  let jsx = false;
  if (languageId === 'astro') {
    const fm = /^\s*---[^\S\r\n]*(\r\n|\n|\r)/.exec(text);
    if (fm) {
      const start = fm[0].length;
      const close = /(^|\r\n|\n|\r)---[^\S\r\n]*(\r\n|\n|\r|$)/g;
      close.lastIndex = start - fm[1].length;
      const m = close.exec(text);
      const end = m ? m.index + m[1].length : text.length;
      regions.push([start, end]);
    }
  }
  SCRIPT_OPEN.lastIndex = 0;
  for (;;) {
    const open = SCRIPT_OPEN.exec(text);
    if (!open) break;
    const start = open.index + open[0].length;
    if (regions.length && start < regions[regions.length - 1][1]) continue;
    const attrs = open[1];
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1];
    if (type && !/^(module|text\/javascript|application\/javascript|text\/typescript|ts|typescript)$/i.test(type)) {
      // e.g. <script type="application/ld+json">: not code.
      SCRIPT_CLOSE.lastIndex = start;
      const skip = SCRIPT_CLOSE.exec(text);
      SCRIPT_OPEN.lastIndex = skip ? skip.index + skip[0].length : text.length;
      continue;
    }
    const lang = LANG_ATTR.exec(attrs)?.[1]?.toLowerCase();
    if (lang === 'tsx' || lang === 'jsx') jsx = true;
    SCRIPT_CLOSE.lastIndex = start;
    const close = SCRIPT_CLOSE.exec(text);
    const end = close ? close.index : text.length;
    regions.push([start, end]);
    SCRIPT_OPEN.lastIndex = close ? close.index + close[0].length : text.length;
  }
  if (!regions.length) return { text: blank(text), jsx, blocks: 0 };
  let out = '';
  let at = 0;
  for (const [s, e] of regions) {
    out += blank(text.slice(at, s));
    // Each block ends its statements: a `;` would shift nothing but blocks are
    // separated by blanked markup, which is whitespace to the parser.
    out += text.slice(s, e);
    at = e;
  }
  out += blank(text.slice(at));
  return { text: out, jsx, blocks: regions.length };
}

function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}
