import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codexModelEndpoint, codexProviderKeyNames } from './codex-model-endpoint.js';

const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
});

async function home(configToml: string): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'codex-endpoint-'));
  homes.push(path);
  await writeFile(join(path, 'config.toml'), configToml);
  return path;
}

describe('codexModelEndpoint', () => {
  it("reads the provider's base_url from config.toml", async () => {
    const codexHome = await home(
      'model_provider = "local"\n[model_providers.local]\nbase_url = "http://127.0.0.1:8080/v1"\n',
    );
    expect(await codexModelEndpoint({ codexHome, env: {} })).toEqual({
      provider: 'local',
      baseURL: 'http://127.0.0.1:8080/v1',
      label: 'http://127.0.0.1:8080/v1',
    });
  });

  it('lets -c overrides (dotted keys and tables) win over the file, as codex does', async () => {
    const codexHome = await home(
      'model_provider = "local"\n[model_providers.local]\nbase_url = "http://127.0.0.1:8080/v1"\n',
    );
    const endpoint = await codexModelEndpoint({
      codexHome,
      env: {},
      configOverrides: {
        model_provider: 'orchestrator',
        'model_providers.orchestrator': { base_url: 'http://10.0.0.5:9000/v1', wire_api: 'responses' },
      },
    });
    expect(endpoint.baseURL).toBe('http://10.0.0.5:9000/v1');
    const dotted = await codexModelEndpoint({
      codexHome,
      env: {},
      configOverrides: { 'model_providers.local.base_url': 'http://10.0.0.6:9000/v1' },
    });
    expect(dotted.baseURL).toBe('http://10.0.0.6:9000/v1');
  });

  it('uses openai_base_url or OPENAI_BASE_URL for the built-in provider, else says it does not know', async () => {
    const empty = await home('');
    expect(await codexModelEndpoint({ codexHome: empty, env: {} })).toEqual({
      provider: 'openai',
      label: 'provider "openai" (its default endpoint)',
    });
    expect(
      (await codexModelEndpoint({ codexHome: empty, env: { OPENAI_BASE_URL: 'http://proxy.local/v1' } }))
        .baseURL,
    ).toBe('http://proxy.local/v1');
    const configured = await home('openai_base_url = "http://gateway.local/v1"\n');
    expect((await codexModelEndpoint({ codexHome: configured, env: {} })).baseURL).toBe(
      'http://gateway.local/v1',
    );
  });

  it('treats a missing or invalid config file as empty', async () => {
    const broken = await home('model_provider = \n');
    expect((await codexModelEndpoint({ codexHome: broken, env: {} })).provider).toBe('openai');
    expect((await codexModelEndpoint({ codexHome: join(broken, 'missing'), env: {} })).provider).toBe(
      'openai',
    );
  });

  it("names every provider's env_key from the file and the overrides, so codex keeps its key", async () => {
    const dir = await home(
      'model_provider = "local"\n[model_providers.local]\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "LOCAL_MODEL_KEY"\n[model_providers.odd]\nenv_key = "NOT A NAME; rm -rf"\n',
    );
    expect(
      await codexProviderKeyNames({
        codexHome: dir,
        configOverrides: { 'model_providers.other': { env_key: 'OTHER_KEY' } },
      }),
    ).toEqual(['LOCAL_MODEL_KEY', 'OTHER_KEY']);
  });
});
