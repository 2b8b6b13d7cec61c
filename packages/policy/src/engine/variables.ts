/**
 * Which variables a script may set and read. Setting one of the dangerous names changes what a
 * later program loads or runs (`PATH`, `LD_PRELOAD`, `GIT_*`, `NODE_OPTIONS`, ...); reading an
 * unknown environment variable may print a secret into the model's context.
 */

const DANGEROUS_NAMES = new Set([
  'PATH',
  'IFS',
  'HOME',
  'ENV',
  'BASH_ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'PROMPT_COMMAND',
  'CDPATH',
  'GLOBIGNORE',
  'BASH_XTRACEFD',
  'HISTFILE',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'MANPAGER',
  'BROWSER',
  'SHELL',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PYTHONINSPECT',
  'PYTHONUSERBASE',
  'PYTHONEXECUTABLE',
  'PYTHONBREAKPOINT',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'SSH_ASKPASS',
  'SSH_AUTH_SOCK',
  'MAKEFLAGS',
  'MFLAGS',
  'GCONV_PATH',
  'HOSTALIASES',
  'RESOLV_HOST_CONF',
  'TERMINFO',
  'VIMINIT',
  'EXINIT',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'FTP_PROXY',
  // Build tools run what these name (`CC='git push' make` runs it through any recipe using $(CC)).
  'MAKEFILES',
  'MAKE',
  'CC',
  'CXX',
  'CPP',
  'LD',
  'AR',
  'AS',
  'NM',
  'RANLIB',
  'STRIP',
  'OBJCOPY',
  'OBJDUMP',
  'FC',
  'F77',
  'LEX',
  'YACC',
  'M4',
  'CFLAGS',
  'CXXFLAGS',
  'CPPFLAGS',
  'LDFLAGS',
  'GOFLAGS',
  'GOENV',
  'GOTOOLCHAIN',
  'GOPROXY',
  'RUSTC',
  'RUSTC_WRAPPER',
  'RUSTC_WORKSPACE_WRAPPER',
  'RUSTDOC',
  'RUSTFLAGS',
  'RUSTDOCFLAGS',
  'PYTEST_ADDOPTS',
  'PYTEST_PLUGINS',
]);

const DANGEROUS_PREFIXES = [
  'GIT_',
  'LD_',
  'DYLD_',
  'BASH_FUNC_',
  'NPM_CONFIG_',
  'YARN_',
  'PNPM_',
  'BUN_',
  'COREPACK_',
  'CODEX_',
  'OPENAI_',
  'LESS',
  'GCONV_',
  'DOCKER_',
  // Cargo settings name wrappers, runners and target directories (CARGO_TERM_* is only output).
  'CARGO_',
  'PIP_',
  'UV_',
];

/** True when assigning `name` could change which programs run or what they load. */
export function isDangerousVariable(name: string): boolean {
  const upper = name.toUpperCase();
  if (DANGEROUS_NAMES.has(upper)) return true;
  if (upper.startsWith('CARGO_TERM_')) return false;
  return DANGEROUS_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** Node options that only tune memory, warnings and diagnostics (none loads or runs code). */
const SAFE_NODE_OPTION =
  /^--(max-old-space-size=\d+|max-semi-space-size=\d+|stack-size=\d+|stack-trace-limit=\d+|experimental-vm-modules|enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-deprecation|throw-deprecation|trace-uncaught|unhandled-rejections=(strict|warn|none|throw|warn-with-error-code))$/;

/** Commands that run the project's Python code anyway (tests, scripts). */
const PYTHON_RUNNERS = new Set(['pytest', 'py.test', 'python', 'python3']);

/** go build flags that select what to build or how to report, never a program to run. */
const SAFE_GO_FLAG =
  /^-(count=\d+|v|race|short|cover|trimpath|mod=(mod|readonly|vendor)|tags=[A-Za-z0-9_,.-]*|timeout=\w+|p=\d+|buildvcs=(true|false)|failfast|json)$/;

/**
 * True when an assignment to a name isDangerousVariable refuses is harmless in this exact form:
 * - `IFS=... read` (and `mapfile`, `readarray`): the value only splits the line read;
 * - `PYTHONPATH` naming only directories inside the worktree, for pytest and python (which run the
 *   project's code anyway);
 * - `NODE_OPTIONS` with only memory, warning and diagnostics flags (`--max-old-space-size=4096`);
 * - `GOFLAGS` with only flags that select or report (`-count=1`, `-race`, `-tags=integration`).
 * `values` are every value the assignment can have (undefined when unknown), `command` the literal
 * name of the command it prefixes (undefined for a plain assignment), and `inside` says whether a
 * relative path stays in the worktree.
 */
export function isHarmlessAssignment(
  name: string,
  values: readonly string[] | undefined,
  command: string | undefined,
  inside: (path: string) => boolean,
): boolean {
  if (name === 'IFS') return command === 'read' || command === 'mapfile' || command === 'readarray';
  if (values === undefined || command === undefined) return false;
  if (name === 'PYTHONPATH') {
    // Only for commands that already run the project's Python code (so writing a
    // sitecustomize.py and then running is caught as write-then-execute); `PYTHONPATH=. pip`
    // would make pip load the worktree's code.
    if (!PYTHON_RUNNERS.has(command)) return false;
    return values.every((value) =>
      value
        .split(':')
        .every(
          (entry) =>
            entry === '' || (!/^[/~]/.test(entry) && !/(^|\/)\.git(\/|$)/i.test(entry) && inside(entry)),
        ),
    );
  }
  if (name === 'GOFLAGS') {
    return values.every((value) =>
      value.split(/[ \t\n]+/).every((flag) => flag === '' || SAFE_GO_FLAG.test(flag)),
    );
  }
  if (name === 'NODE_OPTIONS') {
    return values.every((value) =>
      value.split(/[ \t\n]+/).every((option) => option === '' || SAFE_NODE_OPTION.test(option)),
    );
  }
  return false;
}

const HARMLESS_READS = new Set([
  '?',
  '#',
  '$',
  '!',
  '-',
  '@',
  '*',
  '_',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  'PWD',
  'OLDPWD',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'TZ',
  'RANDOM',
  'LINENO',
  'SECONDS',
  'BASHPID',
  'PPID',
  'UID',
  'EUID',
  'HOSTNAME',
  'HOSTTYPE',
  'OSTYPE',
  'MACHTYPE',
  'BASH',
  'BASH_VERSION',
  'BASH_SOURCE',
  'EPOCHSECONDS',
  'EPOCHREALTIME',
  'SHLVL',
  'COLUMNS',
  'LINES',
  'TMPDIR',
  'CI',
  'NODE_ENV',
  'PIPESTATUS',
  'FUNCNAME',
  'IFS',
]);

/** True when printing `name` cannot leak a secret (shell specials and common settings). */
export function isHarmlessRead(name: string): boolean {
  return HARMLESS_READS.has(name);
}
