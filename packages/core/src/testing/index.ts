/**
 * @codex-orchestrator/core/testing: fakes for tests, ours and users'. They are real
 * implementations that run on loopback; none of them needs the internet or an API key.
 */

// --- scripted model server ---

export {};
