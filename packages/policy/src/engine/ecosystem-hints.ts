/**
 * What to do instead of a dependency change, in the command's own ecosystem: `pip install -e .`
 * is not told to run `npm ci`. Appended to the reason of the `dependency-changes` rule.
 */
const HINTS: Readonly<Record<string, string>> = {
  npm: 'install exactly the lockfile with `npm ci`',
  yarn: 'install exactly the lockfile with `yarn install --frozen-lockfile` (`--immutable` on yarn 2+)',
  pnpm: 'install exactly the lockfile with `pnpm install --frozen-lockfile`',
  pip: 'run the tools of the environment that exists (`.venv/bin/python -m pytest`, or `source .venv/bin/activate && pytest`)',
  pip3: 'run the tools of the environment that exists (`.venv/bin/python -m pytest`, or `source .venv/bin/activate && pytest`)',
  uv: 'run the tools of the environment that exists (`.venv/bin/python -m pytest`)',
  poetry: 'run the tools of the environment that exists (`.venv/bin/python -m pytest`)',
  cargo:
    '`cargo build` and `cargo test` fetch the locked dependencies themselves (add `--locked` to keep Cargo.lock as it is)',
  go: '`go build` and `go test` download what go.sum pins (`go mod download` is allowed)',
  gem: 'install what the Gemfile.lock pins with `bundle install` once it is allowed',
  bundle: 'install what the Gemfile.lock pins with `bundle install` once it is allowed',
};

/** The ecosystem hint for `program`, or undefined when there is none. */
export function ecosystemHint(program: string): string | undefined {
  return HINTS[program];
}
