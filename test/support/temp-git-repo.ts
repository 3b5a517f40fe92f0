// Temporary git repositories for tests of `--ref` and `diff`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class TempGitRepo {
  readonly dir: string;

  constructor(prefix = 'phf-git-') {
    this.dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  }

  write(files: Record<string, string | Buffer>): void {
    for (const [file, content] of Object.entries(files)) {
      const path = join(this.dir, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }

  remove(...files: string[]): void {
    for (const f of files) unlinkSync(join(this.dir, f));
  }

  /** Writes the files, stages everything and commits; returns the commit id. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  status(): string {
    return this.git('status', '--porcelain');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
