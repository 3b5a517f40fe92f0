/**
 * What the linkable-facts walkers of the tree-sitter languages (python-facts,
 * go-facts, swift-facts, kotlin-facts) share: the text and its line map, a
 * depth-guarded visit (a file nested deeper than the walk can go keeps what
 * was found above and says so), and node text and spans.
 */
import type { Node } from 'web-tree-sitter';
import type { JsFacts } from '../index/facts';
import { LineMap } from '../text';

export abstract class FactsWalk {
  protected readonly lines: LineMap;
  private depth = 0;

  constructor(
    protected readonly text: string,
    protected readonly facts: JsFacts,
    private readonly maxDepth: number,
  ) {
    this.lines = new LineMap(text);
  }

  protected abstract visitInner(node: Node): void;

  protected visit(node: Node): void {
    if (this.depth >= this.maxDepth) {
      this.facts.error ??= 'nesting too deep: the deepest expressions were not read';
      return;
    }
    this.depth++;
    try {
      this.visitInner(node);
    } finally {
      this.depth--;
    }
  }

  protected visitChildren(node: Node): void {
    for (const c of node.namedChildren) if (c) this.visit(c);
  }

  protected textOf(n: Node): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  protected spanOf(n: Node) {
    return this.lines.span(n.startIndex, n.endIndex);
  }
}
