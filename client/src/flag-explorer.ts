/**
 * The Flag Explorer tree: groups → flags → usages. Reads the server's
 * `posthog/report`, again on every `posthog/status` and
 * `posthog/reportChanged`.
 */
import * as vscode from 'vscode';
import { ClientCommand, FLAG_EXPLORER_VIEW } from './constants';
import { errorText, type Ctx } from './context';
import { FLAG_GROUPS, flagNodeView, groupFlags, groupLabel, type FlagGroupId } from './flag-groups';
import { REPORT_REQUEST, type ReportFlag, type ReportResult } from './protocol';

type Node =
  | { kind: 'group'; id: FlagGroupId; label: string; flags: ReportFlag[] }
  | { kind: 'flag'; group: FlagGroupId; flag: ReportFlag }
  | { kind: 'usage'; flag: ReportFlag; uri: string; range: ReportFlag['usages'][number]['range'] };

class FlagExplorer implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private report: Promise<ReportFlag[] | undefined> | undefined;
  message: string | undefined;
  /** Usages the server could not resolve (an import it could not follow): "not in code" is then unsure. */
  private unresolvedUsages = 0;

  constructor(private readonly ctx: Ctx) {}

  invalidate(): void {
    this.report = undefined;
    this.changed.fire(undefined);
  }

  private load(): Promise<ReportFlag[] | undefined> {
    this.report ??= this.ctx.sendRequest<ReportResult>(REPORT_REQUEST, {}).then(
      (r) => {
        // No flags known yet (PostHog has not answered, or no source): say why above the (welcome) view.
        this.message = r.flagsUnknown && this.ctx.source.kind !== 'none' ? r.flagsUnknown : undefined;
        this.unresolvedUsages = r.unresolvedUsages ?? 0;
        return r.flagsUnknown ? [] : (r.flags ?? []);
      },
      (error) => {
        this.message = `No flag report from the language server: ${errorText(error)}`;
        return undefined;
      },
    );
    return this.report;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      // No flag source: an empty tree, so the welcome view (Sign In, Use a Flags File) shows.
      if (!this.ctx.client || this.ctx.source.kind === 'none') return [];
      const flags = await this.load();
      if (!flags?.length) return []; // the welcome view says what to do
      const groups = groupFlags(flags);
      return FLAG_GROUPS.map((g) => ({ kind: 'group', id: g.id, label: groupLabel(g.id, this.unresolvedUsages), flags: groups[g.id] }));
    }
    if (node.kind === 'group') return node.flags.map((flag) => ({ kind: 'flag', group: node.id, flag }));
    if (node.kind === 'flag') return node.flag.usages.map((u) => ({ kind: 'usage', flag: node.flag, uri: u.uri, range: u.range }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, node.flags.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      // A group that was empty (no children, so no collapse state) and now has flags must open expanded:
      // VS Code keeps the state of an id it has seen, so the id says whether the group has flags.
      item.id = `group:${node.id}:${node.flags.length ? 'flags' : 'empty'}`;
      item.description = String(node.flags.length);
      item.contextValue = 'posthogGroup';
      return item;
    }
    if (node.kind === 'flag') {
      const { flag } = node;
      const view = flagNodeView(flag);
      const item = new vscode.TreeItem(view.label, flag.usages.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `flag:${node.group}:${flag.key}`;
      item.description = view.description;
      const md = new vscode.MarkdownString(undefined, true);
      md.appendMarkdown(view.tooltip.map((line, i) => (i === 0 ? `**${escapeMd(line)}**` : escapeMd(line))).join('  \n'));
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(view.icon.id, new vscode.ThemeColor(view.icon.color));
      item.contextValue = view.contextValue;
      return item;
    }
    const uri = vscode.Uri.parse(node.uri);
    const label = `${vscode.workspace.asRelativePath(uri)}:${node.range.start.line + 1}:${node.range.start.character + 1}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `usage:${node.flag.key}:${node.uri}:${node.range.start.line}:${node.range.start.character}`;
    item.resourceUri = uri;
    item.iconPath = vscode.ThemeIcon.File;
    const range = new vscode.Range(node.range.start.line, node.range.start.character, node.range.end.line, node.range.end.character);
    item.command = { title: 'Open Usage', command: 'vscode.open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
    item.contextValue = 'posthogUsage';
    return item;
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function createFlagExplorer(ctx: Ctx): void {
  const provider = new FlagExplorer(ctx);
  const view = vscode.window.createTreeView(FLAG_EXPLORER_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      provider.invalidate();
      await provider.getChildren();
      view.message = provider.message;
    }, 200);
  };
  ctx.push(
    view,
    ctx.onDidChangeReport(refreshSoon),
    view.onDidChangeVisibility((e) => e.visible && refreshSoon()),
    { dispose: () => clearTimeout(timer) },
  );
  void ClientCommand;
}
