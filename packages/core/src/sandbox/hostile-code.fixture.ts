/**
 * Test support: a Node script that tries every attack the sandbox must stop, printing one line per
 * outcome (prefixed by its label), and the assertions that read those lines.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { processesMatching } from '../worker/codex-setup.fixture.js';

/** Where the attacks aim. */
export interface HostileTargets {
  /** A fake home whose `.ssh/id_rsa` holds `FAKE-PRIVATE-KEY-MATERIAL`. */
  fakeHome: string;
  /** A directory outside the worktree the sandbox may read but not write. */
  outside: string;
  /** A bare repository to push to. */
  origin: string;
  /** A listener on the host's 127.0.0.1. */
  port: number;
  /** A `sleep` argument that marks the daemon. */
  daemonMarker: string;
  /** The API key placed in the orchestrator's environment. */
  apiKey: string;
}

/** The attacks as a CommonJS script. */
export function hostileScript(label: string, targets: HostileTargets): string {
  return `
const fs = require('node:fs');
const net = require('node:net');
const { execFileSync, spawn } = require('node:child_process');
const out = (line) => console.log('${label} ' + line);
out('CONTROL-RAN');
fs.writeFileSync('control-${label}.txt', 'written by the hostile code\\n');
try { out('ssh=' + fs.readFileSync(${JSON.stringify(join(targets.fakeHome, '.ssh', 'id_rsa'))}, 'utf8').trim()); } catch (e) { out('ssh-denied ' + e.code); }
out('key=[' + (process.env.OPENAI_API_KEY ?? '') + ']');
try { fs.writeFileSync(${JSON.stringify(join(targets.outside, `escaped-${label}.txt`))}, 'x'); out('wrote-outside'); } catch (e) { out('outside-denied ' + e.code); }
try {
  execFileSync('/usr/bin/env', ['-i', '/usr/bin/git', 'push', ${JSON.stringify(targets.origin)}, 'HEAD:refs/heads/pwned-${label}'], { stdio: 'pipe' });
  out('pushed');
} catch (e) { out('push-failed'); }
spawn('setsid', ['sleep', '${targets.daemonMarker}'], { detached: true, stdio: 'ignore' }).unref();
const socket = net.connect(${targets.port}, '127.0.0.1');
socket.on('connect', () => { out('connected'); socket.destroy(); });
socket.on('error', (e) => out('connect-failed ' + e.code));
`;
}

/** Asserts that every attack of `label` failed and that the positive control ran. */
export function expectContained(
  output: string,
  label: string,
  targets: HostileTargets,
  connections: number,
): void {
  expect(output).toContain(`${label} CONTROL-RAN`);
  expect(output).toContain(`${label} ssh-denied`);
  expect(output).not.toContain('FAKE-PRIVATE-KEY-MATERIAL');
  expect(output).toContain(`${label} key=[]`);
  expect(output).not.toContain(targets.apiKey);
  expect(output).toContain(`${label} outside-denied EROFS`);
  expect(output).toContain(`${label} push-failed`);
  expect(output).toContain(`${label} connect-failed`);
  expect(existsSync(join(targets.outside, `escaped-${label}.txt`))).toBe(false);
  expect(connections).toBe(0);
  expect(processesMatching(targets.daemonMarker)).toEqual([]);
}

/** The host side of the attacks: a fake home with a key, an API key in the env, a loopback listener. */
export interface HostileEnvironment {
  fakeHome: string;
  port: number;
  /** Connections the listener accepted so far. */
  connections(): number;
  /** Puts HOME and OPENAI_API_KEY back, closes the listener, removes the fake home. */
  restore(): Promise<void>;
}

/**
 * Points HOME at a fake home whose `.ssh/id_rsa` holds `FAKE-PRIVATE-KEY-MATERIAL` (the real
 * `~/.ssh` is never touched), sets OPENAI_API_KEY to `apiKey`, and listens on the host's loopback.
 */
export async function createHostileEnvironment(apiKey: string): Promise<HostileEnvironment> {
  const realHome = process.env.HOME;
  const realKey = process.env.OPENAI_API_KEY;
  const fakeHome = await mkdtemp(join(tmpdir(), 'fake-home-'));
  await mkdir(join(fakeHome, '.ssh'));
  await writeFile(join(fakeHome, '.ssh', 'id_rsa'), 'FAKE-PRIVATE-KEY-MATERIAL\n');
  process.env.HOME = fakeHome;
  process.env.OPENAI_API_KEY = apiKey;
  let connections = 0;
  const listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    fakeHome,
    port: (listener.address() as { port: number }).port,
    connections: () => connections,
    async restore() {
      process.env.HOME = realHome;
      if (realKey === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = realKey;
      listener.close();
      await rm(fakeHome, { recursive: true, force: true });
    },
  };
}
