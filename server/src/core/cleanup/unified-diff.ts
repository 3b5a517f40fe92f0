/**
 * A unified diff of one file (`git apply` reads it): `a/` and `b/` paths,
 * three lines of context, hunks from a longest-common-subsequence of lines
 * between the first and last changed line.
 */

function splitLines(text: string): string[] {
  const lines = text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
  return lines;
}

type Op = { t: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ t: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ t: ' ', line: x[i++] });
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ t: '-', line: x[i++] });
    else ops.push({ t: '+', line: y[j++] });
  }
  for (const line of a.slice(a.length - suf)) ops.push({ t: ' ', line });
  return ops;
}

function emit(op: Op): string {
  const line = op.line;
  if (/(?:\r\n|\n|\r)$/.test(line)) return `${op.t}${line}`;
  return `${op.t}${line}\n\\ No newline at end of file\n`;
}

/** The diff of `before` → `after` for `file` ('' when they are equal). */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`diff --git a/${file} b/${file}\n`, `--- a/${file}\n`, `+++ b/${file}\n`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k].t === ' ') k++;
    if (k >= ops.length) break;
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2×context lines.
    for (;;) {
      while (end < ops.length && ops[end].t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].t === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    let aLine = 1;
    let bLine = 1;
    for (let q = 0; q < start; q++) {
      if (ops[q].t !== '+') aLine++;
      if (ops[q].t !== '-') bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.t !== '+').length;
    const bCount = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@\n`);
    for (const o of hunk) out.push(emit(o));
    k = stop;
    start = stop;
  }
  return out.join('');
}
