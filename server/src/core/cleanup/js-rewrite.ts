/**
 * Rewrites one JS/TS file as if a flag always had one value: each check
 * becomes the constant it now is, and what that makes dead goes (contract:
 * "Cleanup" in ../shared/docs/interfaces.md).
 *
 * Positions come from `ts.createSourceFile` (no Program, no checker). The
 * file is rewritten one site at a time: a site's edits are applied, the
 * text parsed again, and the sites still to do followed to where their
 * characters moved (text-edits.ts), so nested checks compose.
 */
import type * as TS from 'typescript';
import { loadTypeScript, ts } from '../typescript';
import { applyRewrites, cut, indentOf, join, lineStart, literal, reindent, removalRange, type Piece, type Rewrite } from './text-edits';

/** A flag's value in code: a boolean check's result, or a variant key. */
export type FlagValue = boolean | string;

/** A place in the file to rewrite: a flag call (or `<PostHogFeature>`), found by the index. */
export interface CallSite {
  /** Offset (in the original text) of the key argument. */
  offset: number;
  /** What the call returns, as the kept value makes it; undefined: the site is manual for `reason`. */
  value?: FlagValue;
  reason?: string;
}

export interface FileRewrite {
  text: string;
  edits: number;
  /** Offsets in the original text of sites left as they are, each with why. */
  manual: Array<{ offset: number; reason: string }>;
}

interface VarState {
  name: string;
  manual: boolean;
}

export interface Site {
  offset: number;
  /** Offset in the original text, for `manual`. */
  origin: number;
  kind: 'call' | 'ref' | 'decl';
  value?: FlagValue;
  reason?: string;
  variable?: VarState;
}

export type Outcome = { rewrites: Rewrite[]; sites?: Array<Omit<Site, 'origin'>> } | { manual: string };

const manual = (reason: string): Outcome => ({ manual: reason });

export function scriptKindFor(file: string): TS.ScriptKind {
  loadTypeScript();
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JSX;
  return ts.ScriptKind.TS;
}

export function parseJs(file: string, text: string): TS.SourceFile {
  return loadTypeScript().createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKindFor(file));
}

/** Rewrites the sites of one file (original text in, new text out). */
export function rewriteJsFile(file: string, original: string, calls: CallSite[]): FileRewrite {
  return rewriteSites(original, calls, (text, site) => processSite(parseJs(file, text), text, site));
}

/**
 * The site loop shared by the languages: each site's rewrites applied in
 * turn, the sites still to do followed to where their text moved.
 */
export function rewriteSites(original: string, calls: CallSite[], process: (text: string, site: Site) => Outcome): FileRewrite {
  let text = original;
  let back = (o: number) => o;
  let edits = 0;
  const out: FileRewrite['manual'] = [];
  const queue: Site[] = calls.map((c) => ({ offset: c.offset, origin: c.offset, kind: 'call', value: c.value, reason: c.reason }));
  queue.sort((a, b) => a.offset - b.offset);
  while (queue.length) {
    const site = queue.shift()!;
    let outcome: Outcome;
    try {
      outcome = site.reason !== undefined ? manual(site.reason) : process(text, site);
    } catch (e) {
      outcome = manual(`could not be rewritten (${(e as Error).message})`);
    }
    if ('manual' in outcome) {
      if (site.variable) site.variable.manual = true;
      if (site.kind !== 'decl') out.push({ offset: site.origin, reason: outcome.manual });
      continue;
    }
    const applied = applyRewrites(text, outcome.rewrites);
    edits += outcome.rewrites.length;
    const prevBack = back;
    back = (o: number) => prevBack(applied.back(o));
    const moved: Site[] = [];
    for (const s of outcome.sites ?? []) {
      const at = applied.forward(s.offset);
      if (at !== undefined) moved.push({ ...s, offset: at, origin: prevBack(s.offset) });
    }
    for (const s of queue) {
      const at = applied.forward(s.offset);
      if (at === undefined) s.offset = -1;
      else s.offset = at;
    }
    const rest = queue.filter((s) => s.offset >= 0);
    queue.length = 0;
    queue.push(...moved, ...rest);
    text = applied.text;
  }
  return { text, edits, manual: out };
}

function nodeAt(sf: TS.SourceFile, offset: number): TS.Node {
  let node: TS.Node = sf;
  for (;;) {
    const child: TS.Node | undefined = node.getChildren(sf).find((c) => c.getStart(sf) <= offset && offset < c.getEnd());
    if (!child) return node;
    node = child;
  }
}

function processSite(sf: TS.SourceFile, text: string, site: Site): Outcome {
  const at = nodeAt(sf, site.offset);
  if (site.kind === 'decl') return removeDeclaration(sf, text, at, site.variable!);
  if (site.kind === 'ref') {
    if (!ts.isIdentifier(at)) return manual('the variable could not be found again');
    return fold(sf, text, at, site.value!, site.variable);
  }
  for (let n: TS.Node | undefined = at; n; n = n.parent) {
    if (ts.isJsxAttribute(n)) return postHogFeature(sf, text, n, site.value!);
    if (ts.isCallExpression(n) && n.arguments.some((a) => a.getStart(sf) <= site.offset && site.offset < a.getEnd())) {
      let node: TS.Expression = n;
      if (ts.isAwaitExpression(n.parent)) node = n.parent;
      return fold(sf, text, node, site.value!);
    }
  }
  return manual('the flag check could not be found in the syntax tree');
}

// ---------------------------------------------------------------- values

export function truthy(v: FlagValue | null | undefined): boolean {
  return Boolean(v);
}

const NOT_LITERAL = Symbol('not a literal');

function literalValue(e: TS.Expression): FlagValue | null | undefined | typeof NOT_LITERAL {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(e) && e.text === 'undefined') return undefined;
  return NOT_LITERAL;
}

/** True when evaluating the expression can have no effect (so dropping it is safe). */
function isPure(e: TS.Expression): boolean {
  if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) return isPure(e.expression);
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (literalValue(e) !== NOT_LITERAL || ts.isNumericLiteral(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isPure(e.expression);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return isPure(e.operand);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const safe = [
      ts.SyntaxKind.AmpersandAmpersandToken,
      ts.SyntaxKind.BarBarToken,
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.QuestionQuestionToken,
    ];
    return safe.includes(op) && isPure(e.left) && isPure(e.right);
  }
  return false;
}

/** True when only the truthiness of `e`'s value matters where it stands. */
function truthinessOnly(e: TS.Node): boolean {
  const p = e.parent;
  if (ts.isParenthesizedExpression(p)) return truthinessOnly(p);
  if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === e) return true;
  if (ts.isForStatement(p) && p.condition === e) return true;
  if (ts.isConditionalExpression(p) && p.condition === e) return true;
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return truthinessOnly(p);
  }
  return false;
}

function compare(v: FlagValue, lit: FlagValue | null | undefined, op: TS.SyntaxKind): boolean {
  const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  // eslint-disable-next-line eqeqeq
  const equal = loose ? v == lit : v === lit;
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken ? equal : !equal;
}

// ---------------------------------------------------------------- folding

/** `node` now always evaluates to `v`: simplify what holds it. */
function fold(sf: TS.SourceFile, text: string, node: TS.Expression, v: FlagValue, variable?: VarState): Outcome {
  const p = node.parent;
  if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAwaitExpression(p)) return fold(sf, text, p, v);
  if (ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) return fold(sf, text, p, v);
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return fold(sf, text, p, !truthy(v));
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    const isLeft = p.left === node;
    const other = isLeft ? p.right : p.left;
    switch (op) {
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      case ts.SyntaxKind.EqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsToken: {
        const lit = literalValue(other);
        if (lit === NOT_LITERAL) return manual(`compared with '${other.getText(sf)}', which is not a literal`);
        return fold(sf, text, p, compare(v, lit, op));
      }
      case ts.SyntaxKind.AmpersandAmpersandToken:
        if (isLeft) return truthy(v) ? replaceExpr(sf, text, p, other) : fold(sf, text, p, v);
        if (truthy(v)) return isBooleanValue(v) && (truthinessOnly(p) || isLeftOfAnd(p)) ? replaceExpr(sf, text, p, other) : manual(`'${p.getText(sf)}' is used as a value`);
        if (!isPure(other)) return manual(`'${other.getText(sf)}' may have side effects`);
        return truthinessOnly(p) ? fold(sf, text, p, false) : manual(`'${p.getText(sf)}' is used as a value`);
      case ts.SyntaxKind.BarBarToken:
        if (isLeft) return truthy(v) ? fold(sf, text, p, v) : replaceExpr(sf, text, p, other);
        if (!truthy(v)) return truthinessOnly(p) ? replaceExpr(sf, text, p, other) : manual(`'${p.getText(sf)}' is used as a value`);
        if (!isPure(other)) return manual(`'${other.getText(sf)}' may have side effects`);
        return truthinessOnly(p) ? fold(sf, text, p, true) : manual(`'${p.getText(sf)}' is used as a value`);
      case ts.SyntaxKind.QuestionQuestionToken:
        if (isLeft) return fold(sf, text, p, v);
        return manual(`'${p.getText(sf)}' is used as a value`);
      default:
        return manual(`the flag's value is used in '${p.getText(sf)}'`);
    }
  }
  if (ts.isConditionalExpression(p) && p.condition === node) return replaceExpr(sf, text, p, truthy(v) ? p.whenTrue : p.whenFalse);
  if (ts.isIfStatement(p) && p.expression === node) return ifStatement(sf, text, p, truthy(v));
  if (ts.isSwitchStatement(p) && p.expression === node) return switchStatement(sf, text, p, v);
  if (ts.isVariableDeclaration(p) && p.initializer === node && !variable) return declaredVariable(sf, text, p, v);
  if (ts.isWhileStatement(p) || ts.isDoStatement(p) || ts.isForStatement(p)) return manual("the flag is a loop's condition");
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) return manual(`the flag's value is passed to '${p.expression.getText(sf)}'`);
  if (ts.isReturnStatement(p) || ts.isArrowFunction(p)) return manual("the flag's value is returned");
  // `{false}` among JSX children renders nothing.
  if (ts.isJsxExpression(p) && isJsxChild(p) && typeof v === 'boolean' && !v) return { rewrites: [removal(text, p.getStart(sf), p.getEnd())] };
  if (ts.isJsxExpression(p)) return manual(ts.isJsxAttribute(p.parent) ? `the flag's value is passed as the prop '${p.parent.name.getText(sf)}'` : "the flag's value is rendered");
  if (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) return manual("the flag's value is stored in an object");
  return manual(`the flag's value is used as a value ('${p.getText(sf).slice(0, 60)}')`);
}

function isBooleanValue(v: FlagValue): boolean {
  return typeof v === 'boolean';
}

function isLeftOfAnd(e: TS.Node): boolean {
  let n = e;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.left === n;
}

function unparen(e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function isJsxNode(e: TS.Expression): boolean {
  return ts.isJsxElement(e) || ts.isJsxSelfClosingElement(e) || ts.isJsxFragment(e);
}

function isJsxChild(n: TS.Node): boolean {
  return ts.isJsxElement(n.parent) || ts.isJsxFragment(n.parent);
}

/** `target` (an expression) is replaced by `kept`, one of its parts. */
function replaceExpr(sf: TS.SourceFile, text: string, target: TS.Expression, kept: TS.Expression): Outcome {
  let outer: TS.Expression = target;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const holder = outer.parent;
  const inner = unparen(kept);
  const keptIsNothing = inner.kind === ts.SyntaxKind.NullKeyword || inner.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined');
  // `{cond ? <A/> : null}` among JSX children: the element itself, or nothing.
  if (ts.isJsxExpression(holder) && isJsxChild(holder)) {
    if (keptIsNothing) return { rewrites: [removal(text, holder.getStart(sf), holder.getEnd())] };
    if (isJsxNode(inner)) return { rewrites: [{ start: holder.getStart(sf), end: holder.getEnd(), piece: moved(text, inner, indentOf(text, holder.getStart(sf))) }] };
  }
  // `cond && <A/>;` as a statement with the condition false: the statement goes.
  if (ts.isExpressionStatement(holder) && keptIsNothing) return { rewrites: [removal(text, holder.getStart(sf), holder.getEnd())] };
  const start = outer.getStart(sf);
  const piece = moved(text, kept, indentOf(text, start));
  return { rewrites: [{ start, end: outer.getEnd(), piece: needsParens(kept, holder) ? join(literal('('), piece, literal(')')) : piece }] };
}

/** Whether `kept` (a part of a binary or conditional expression) needs parentheses where that expression stood. */
function needsParens(kept: TS.Expression, holder: TS.Node): boolean {
  if (ts.isParenthesizedExpression(kept)) return false;
  if (ts.isArrowFunction(holder) && holder.body !== undefined && ts.isObjectLiteralExpression(kept)) return true;
  const low = ts.isArrowFunction(kept) || ts.isConditionalExpression(kept) || ts.isYieldExpression(kept) || (ts.isBinaryExpression(kept) && kept.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && kept.operatorToken.kind <= ts.SyntaxKind.LastAssignment);
  const loose = ts.isBinaryExpression(kept) || ts.isAsExpression(kept);
  if (ts.isBinaryExpression(holder) || ts.isPrefixUnaryExpression(holder) || ts.isPropertyAccessExpression(holder) || ts.isCallExpression(holder) && holder.expression.pos === kept.pos) return low || loose;
  if (ts.isConditionalExpression(holder)) return low;
  return false;
}

/** The text of `node`, its lines moved from its own indentation to `to`. */
function moved(text: string, node: TS.Node, to: string): Piece {
  const start = node.getStart();
  return reindent(cut(text, start, node.getEnd()), indentOf(text, start), to);
}

function removal(text: string, start: number, end: number): Rewrite {
  // A comment after the removed code on its last line goes with it.
  const trailing = ts.getTrailingCommentRanges(text, end);
  if (trailing?.length && !/[\r\n]/.test(text.slice(end, trailing[0].pos))) end = trailing[trailing.length - 1].end;
  const r = removalRange(text, start, end);
  return { start: r.start, end: r.end, piece: literal('') };
}

// ---------------------------------------------------------------- statements

function declaresBlockScoped(statements: readonly TS.Statement[]): boolean {
  return statements.some(
    (s) => (ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0) || ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s),
  );
}

function endsFlow(s: TS.Statement | undefined): boolean {
  if (!s) return false;
  if (ts.isBlock(s)) return endsFlow(s.statements[s.statements.length - 1]);
  return ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isContinueStatement(s) || ts.isBreakStatement(s);
}

function statementList(n: TS.Node): TS.NodeArray<TS.Statement> | undefined {
  const p = n.parent;
  if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return p.statements;
  return undefined;
}

/**
 * `target` (a statement in a list) is replaced by `kept` statements (cut
 * from the text and re-indented); after a kept `return`/`throw`, the
 * statements after it in the same list are dead and go too.
 */
function replaceStatement(sf: TS.SourceFile, text: string, target: TS.Statement, keptStatements: readonly TS.Statement[], block?: TS.Block): Outcome {
  let kept = keptStatements;
  const list = statementList(target);
  if (!list) {
    if (!kept.length) return { rewrites: [{ start: target.getStart(sf), end: target.getEnd(), piece: literal('{}') }] };
    const keptNode = block ?? kept[0];
    return { rewrites: [{ start: target.getStart(sf), end: target.getEnd(), piece: moved(text, keptNode, indentOf(text, target.getStart(sf))) }] };
  }
  let end = target.getEnd();
  const i = list.indexOf(target);
  if (kept.length && endsFlow(kept[kept.length - 1])) {
    const after = list.slice(i + 1);
    if (after.some((s) => ts.isFunctionDeclaration(s))) return manual('the code after the kept early return declares a function');
    if (after.length) end = after[after.length - 1].getEnd();
  }
  // A bare `return;` kept as the last statement of a function body says nothing.
  const lastKept = kept[kept.length - 1];
  if (lastKept && ts.isReturnStatement(lastKept) && !lastKept.expression && end === list[list.length - 1].getEnd() && ts.isBlock(target.parent) && ts.isFunctionLike(target.parent.parent)) {
    kept = kept.slice(0, -1);
  }
  // Likewise a bare `continue;` left last in a loop's body.
  if (lastKept && ts.isContinueStatement(lastKept) && !lastKept.label && end === list[list.length - 1].getEnd() && ts.isBlock(target.parent) && ts.isIterationStatement(target.parent.parent, false)) {
    kept = kept.slice(0, -1);
  }
  if (!kept.length) return { rewrites: [removal(text, target.getStart(sf), end)] };
  const indent = indentOf(text, target.getStart(sf));
  if (block && declaresBlockScoped(kept) && list.length > 1) {
    return { rewrites: [{ start: target.getStart(sf), end, piece: moved(text, block, indent) }] };
  }
  // The kept statements with the comments between them: from the first one's line to the last one's end.
  const first = kept[0];
  const last = kept[kept.length - 1];
  let from = first.getStart(sf);
  const leading = ts.getLeadingCommentRanges(text, first.getFullStart());
  if (leading?.length) from = Math.min(from, leading[0].pos);
  let to = last.getEnd();
  const trailing = ts.getTrailingCommentRanges(text, to);
  if (trailing?.length) to = trailing[trailing.length - 1].end;
  const piece = reindent(cut(text, from, to), indentOf(text, first.getStart(sf)), indent);
  const start = target.getStart(sf);
  return { rewrites: [{ start, end, piece }] };
}

function ifStatement(sf: TS.SourceFile, text: string, stmt: TS.IfStatement, cond: boolean): Outcome {
  const kept = cond ? stmt.thenStatement : stmt.elseStatement;
  const parent = stmt.parent;
  if (ts.isIfStatement(parent) && parent.elseStatement === stmt) {
    // `… else if (flag) A else B`
    if (!kept) return { rewrites: [{ start: parent.thenStatement.getEnd(), end: stmt.getEnd(), piece: literal('') }] };
    return { rewrites: [{ start: stmt.getStart(sf), end: stmt.getEnd(), piece: moved(text, kept, indentOf(text, stmt.getStart(sf))) }] };
  }
  if (!kept) return replaceStatement(sf, text, stmt, []);
  if (ts.isBlock(kept)) return replaceStatement(sf, text, stmt, kept.statements, kept);
  if (ts.isIfStatement(kept) && statementList(stmt)) return replaceStatement(sf, text, stmt, [kept]);
  return replaceStatement(sf, text, stmt, [kept]);
}

function switchStatement(sf: TS.SourceFile, text: string, stmt: TS.SwitchStatement, v: FlagValue): Outcome {
  const clauses = stmt.caseBlock.clauses;
  let chosen: TS.CaseOrDefaultClause | undefined;
  for (const c of clauses) {
    if (ts.isDefaultClause(c)) continue;
    const lit = literalValue(c.expression);
    if (lit === NOT_LITERAL) return manual(`the case '${c.expression.getText(sf)}' is not a literal`);
    if (lit === v) chosen = c;
  }
  chosen ??= clauses.find(ts.isDefaultClause);
  if (!chosen) return replaceStatement(sf, text, stmt, []);
  // Cases with no statements fall through to the next clause with some.
  let idx = clauses.indexOf(chosen);
  while (idx < clauses.length && clauses[idx].statements.length === 0) idx++;
  const body = clauses[idx];
  if (!body) return replaceStatement(sf, text, stmt, []);
  let statements: readonly TS.Statement[] = body.statements;
  let block: TS.Block | undefined;
  if (statements.length === 1 && ts.isBlock(statements[0])) {
    block = statements[0];
    statements = block.statements;
  }
  const last = statements[statements.length - 1];
  if (!endsFlow(last) && idx < clauses.length - 1) return manual('the kept case falls through to the next one');
  let kept = [...statements];
  if (last && ts.isBreakStatement(last) && !last.label) kept = kept.slice(0, -1);
  if (kept.some((s) => containsBreak(s))) return manual("the kept case has a 'break' inside");
  if (block && kept.length === statements.length) return replaceStatement(sf, text, stmt, kept, block);
  return replaceStatement(sf, text, stmt, kept, block && !declaresBlockScoped(kept) ? undefined : block);
}

function containsBreak(n: TS.Node): boolean {
  if (ts.isBreakStatement(n) && !n.label) return true;
  if (ts.isIterationStatement(n, false) || ts.isSwitchStatement(n) || ts.isFunctionLike(n)) return false;
  return ts.forEachChild(n, (c) => containsBreak(c) || undefined) ?? false;
}

// ---------------------------------------------------------------- variables

/**
 * `const on = <check>`: each use of `on` becomes the value (one site each),
 * then the declaration goes unless a use was left manual. A hook call
 * (`useFeatureFlagEnabled`) is removed only with its declaration, so the
 * hooks that stay are called in the same order on every render.
 */
function declaredVariable(sf: TS.SourceFile, text: string, decl: TS.VariableDeclaration, v: FlagValue): Outcome {
  const list = decl.parent;
  if (!ts.isIdentifier(decl.name)) return manual('the flag check is destructured');
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return manual(`'${decl.name.text}' is not a const`);
  if (list.declarations.length !== 1 || !ts.isVariableStatement(list.parent)) return manual(`'${decl.name.text}' is declared with other variables`);
  const stmt = list.parent;
  if (stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return manual(`'${decl.name.text}' is exported`);
  const name = decl.name.text;
  const scope = stmt.parent;
  const refs: TS.Identifier[] = [];
  let shadowed = false;
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n) && n.text === name && n !== decl.name) {
      const p = n.parent;
      const declares = (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p) || ts.isClassDeclaration(p)) && p.name === n;
      if (declares) shadowed = true;
      else if (!(ts.isPropertyAccessExpression(p) && p.name === n) && !(ts.isPropertyAssignment(p) && p.name === n) && !ts.isJsxAttribute(p) && !ts.isQualifiedName(p)) refs.push(n);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  if (shadowed) return manual(`another declaration of '${name}' shadows it`);
  const state: VarState = { name, manual: false };
  const sites: Array<Omit<Site, 'origin'>> = refs.map((r) => ({ offset: r.getStart(sf), kind: 'ref', value: v, variable: state }));
  sites.push({ offset: decl.name.getStart(sf), kind: 'decl', variable: state });
  return { rewrites: [], sites };
}

function removeDeclaration(sf: TS.SourceFile, text: string, at: TS.Node, state: VarState): Outcome {
  if (state.manual) return manual('a use is left');
  for (let n: TS.Node | undefined = at; n; n = n.parent) {
    if (ts.isVariableStatement(n)) {
      if (n.declarationList.declarations.length !== 1) return manual('declared with other variables');
      return { rewrites: [removal(text, n.getStart(sf), n.getEnd())] };
    }
  }
  return manual('the declaration could not be found again');
}

// ---------------------------------------------------------------- <PostHogFeature>

function postHogFeature(sf: TS.SourceFile, text: string, attr: TS.JsxAttribute, v: FlagValue): Outcome {
  const opening = attr.parent.parent;
  if (!ts.isJsxOpeningElement(opening) && !ts.isJsxSelfClosingElement(opening)) return manual('not a JSX element');
  const element: TS.JsxElement | TS.JsxSelfClosingElement = ts.isJsxOpeningElement(opening) ? opening.parent : opening;
  const attrs = new Map<string, TS.JsxAttribute>();
  for (const a of opening.attributes.properties) {
    if (ts.isJsxSpreadAttribute(a)) return manual('the element spreads its props');
    attrs.set(a.name.getText(sf), a);
  }
  let show: boolean;
  const match = attrs.get('match');
  if (!match || !match.initializer) show = truthy(v);
  else {
    const init = match.initializer;
    const expr = ts.isStringLiteral(init) ? init : ts.isJsxExpression(init) && init.expression ? init.expression : undefined;
    const lit = expr ? literalValue(expr) : NOT_LITERAL;
    if (lit === true) show = truthy(v);
    else if (typeof lit === 'string') show = v === lit;
    else return manual(`match={${expr?.getText(sf) ?? ''}} is not a literal`);
  }
  const inJsx = isJsxChild(element);
  const start = element.getStart(sf);
  const indent = indentOf(text, start);
  if (show) {
    const children = ts.isJsxElement(element) ? element.children.filter((c) => !(ts.isJsxText(c) && c.containsOnlyTriviaWhiteSpaces)) : [];
    if (children.some((c) => ts.isJsxExpression(c) && c.expression && (ts.isArrowFunction(c.expression) || ts.isFunctionExpression(c.expression)))) {
      return manual('its children are a function of the payload');
    }
    if (!children.length) return nothing(sf, text, element, inJsx);
    const from = children[0].getStart(sf);
    const to = children[children.length - 1].getEnd();
    const piece = reindent(cut(text, from, to), indentOf(text, from), indent);
    if (inJsx || (children.length === 1 && !ts.isJsxText(children[0]) && !ts.isJsxExpression(children[0]))) return { rewrites: [{ start, end: element.getEnd(), piece }] };
    return { rewrites: [{ start, end: element.getEnd(), piece: join(literal('<>'), cut(text, (element as TS.JsxElement).openingElement.getEnd(), (element as TS.JsxElement).closingElement.getStart(sf)), literal('</>')) }] };
  }
  const fallback = attrs.get('fallback')?.initializer;
  const fb = fallback && ts.isJsxExpression(fallback) ? fallback.expression : undefined;
  if (!fb || literalValue(fb) === null || literalValue(fb) === undefined) return nothing(sf, text, element, inJsx);
  const inner = unparen(fb);
  if (isJsxNode(inner)) return { rewrites: [{ start, end: element.getEnd(), piece: moved(text, inner, indent) }] };
  return { rewrites: [{ start, end: element.getEnd(), piece: inJsx ? join(literal('{'), cut(text, fb.getStart(sf), fb.getEnd()), literal('}')) : cut(text, fb.getStart(sf), fb.getEnd()) }] };
}

function nothing(sf: TS.SourceFile, text: string, element: TS.Node, inJsx: boolean): Outcome {
  if (inJsx) return { rewrites: [removal(text, element.getStart(sf), element.getEnd())] };
  return { rewrites: [{ start: element.getStart(sf), end: element.getEnd(), piece: literal('null') }] };
}

export { lineStart };
