import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapWorktree } from './bootstrap-worktree.js';
import { createTestRepository, type TestRepository } from './test-repository.js';
import { createWorktreeManager } from './worktree-manager.js';
import { worktreePorts } from './worktree-ports.js';

let repository: TestRepository;

beforeEach(async () => {
  repository = await createTestRepository();
  const { mainPath, git } = repository;
  await writeFile(join(mainPath, '.gitignore'), 'node_modules/\n.env*\nconfig/*.local.json\nscratch.txt\n');
  await writeFile(join(mainPath, 'package.json'), '{"name":"app","dependencies":{"dep":"1.0.0"}}\n');
  await writeFile(join(mainPath, 'package-lock.json'), '{"lockfileVersion":3}\n');
  await mkdir(join(mainPath, 'config'));
  await writeFile(join(mainPath, 'config', 'app.json'), '{}\n');
  await writeFile(
    join(mainPath, '.worktreeinclude'),
    '# copied into worktrees\n.env.local\nconfig/*.local.json\n',
  );
  await git(['add', '.']);
  await git(['commit', '-qm', 'app']);
  await mkdir(join(mainPath, 'node_modules', 'dep'), { recursive: true });
  await writeFile(join(mainPath, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  await mkdir(join(mainPath, 'node_modules', '.bin'));
  await symlink('../dep/index.js', join(mainPath, 'node_modules', '.bin', 'dep'));
  await writeFile(join(mainPath, '.env.local'), 'TOKEN=local\n');
  await writeFile(join(mainPath, 'config', 'db.local.json'), '{"db":1}\n');
  await writeFile(join(mainPath, 'scratch.txt'), 'ignored but not listed\n');
  await writeFile(join(mainPath, 'notes.txt'), 'untracked, not ignored\n');
});

afterEach(async () => {
  await repository.cleanup();
});

describe('bootstrapWorktree', () => {
  it('copies the listed gitignored files, reuses node_modules and picks ports, through the worktree manager', async () => {
    const events: { type: string }[] = [];
    const manager = createWorktreeManager({
      baseDir: repository.baseDir,
      bootstrap: {},
      setupCommand: 'echo "$PORT $ROOT" > .env.setup',
      events: { emit: (event: { type: string }) => events.push(event) } as never,
    });
    const created = await manager.create('task-search');
    const worktree = created.path;
    expect(created.bootstrap?.copied.sort()).toEqual(['.env.local', 'config/db.local.json']);
    expect(await readFile(join(worktree, '.env.local'), 'utf8')).toBe('TOKEN=local\n');
    expect(await stat(join(worktree, 'scratch.txt')).catch(() => undefined)).toBeUndefined();
    expect(await stat(join(worktree, 'notes.txt')).catch(() => undefined)).toBeUndefined();
    expect(created.bootstrap?.dependencies.paths).toEqual(['node_modules']);
    expect(['reflink', 'hardlink', 'copy']).toContain(created.bootstrap?.dependencies.method);
    expect(await readFile(join(worktree, 'node_modules', '.bin', 'dep'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
    const ports = worktreePorts(worktree, 10);
    expect(created.bootstrap?.ports?.base).toBe(ports.base);
    expect(await readFile(join(worktree, '.env.setup'), 'utf8')).toBe(
      `${ports.base} ${repository.baseDir}\n`,
    );
    expect(events.map((event) => event.type)).toContain('worktree-bootstrap');
    // The worktree's status stays clean: everything copied is ignored.
    expect(await repository.git(['status', '--porcelain'], 'task-search')).toBe('');
  });

  it('does not reuse node_modules when the worktree lockfile differs from main', async () => {
    const worktree = join(repository.baseDir, 'task-other');
    await repository.git(['worktree', 'add', '-q', '-b', 'task-other', worktree]);
    await writeFile(join(worktree, 'package-lock.json'), '{"lockfileVersion":3,"changed":true}\n');
    const result = await bootstrapWorktree({ mainPath: repository.mainPath, worktreePath: worktree });
    expect(result.dependencies).toEqual({
      paths: [],
      method: 'none',
      skipped: 'package-lock.json differ from main',
    });
    expect(await stat(join(worktree, 'node_modules')).catch(() => undefined)).toBeUndefined();
  });

  it('takes the patterns given instead of .worktreeinclude, and can leave dependencies alone', async () => {
    const worktree = join(repository.baseDir, 'task-third');
    await repository.git(['worktree', 'add', '-q', '-b', 'task-third', worktree]);
    const result = await bootstrapWorktree({
      mainPath: repository.mainPath,
      worktreePath: worktree,
      include: ['scratch.txt', 'notes.txt'],
      reuseDependencies: false,
      portsPerWorktree: 0,
    });
    expect(result.copied).toEqual(['scratch.txt']);
    expect(result.dependencies.paths).toEqual([]);
    expect(result.ports).toBeUndefined();
  });
});

describe('worktreePorts', () => {
  it('gives a stable range inside 20000-59999 per worktree name', () => {
    const first = worktreePorts('/a/task-one', 10);
    expect(worktreePorts('/b/task-one', 10)).toEqual(first);
    expect(first.base).toBeGreaterThanOrEqual(20_000);
    expect(first.base + first.size).toBeLessThanOrEqual(60_000);
    expect(first.base % 10).toBe(0);
    expect(worktreePorts('/a/task-two', 10).base).not.toBe(first.base);
  });
});
