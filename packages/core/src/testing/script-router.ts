/**
 * Routes requests of the scripted model server to scripts, one session at a time. See
 * `createScriptedModelServer` for the rules.
 */
import type { RecordedModelRequest } from './scripted-model-request.js';
import type { ScriptedTurn } from './scripted-model-turns.js';

/** Decides whether a script takes a session, from the session's first request. */
export type ScriptMatcher = string | RegExp | ((request: RecordedModelRequest) => boolean);

/** A scripted conversation: the turns one session plays, in order. */
export interface ScriptedModelScript {
  /** For messages; defaults to `script-<n>`. */
  name?: string;
  /**
   * Which sessions this script takes. A string must occur in the request text (instructions and
   * input); a RegExp is tested against that text; a function sees the whole recorded request
   * (`request.model`, `request.headers`, ...). Omitted: any session.
   */
  match?: ScriptMatcher;
  turns: ScriptedTurn[];
  /** Every matching new session gets its own copy of the turns; the script is never used up. */
  reuse?: boolean;
}

/** A script after `addScript`. */
export interface ScriptedModelScriptHandle {
  readonly name: string;
  /** Keys of the sessions that played this script. */
  readonly sessionKeys: readonly string[];
}

interface ScriptState {
  name: string;
  script: ScriptedModelScript;
  sessionKeys: string[];
}

interface Session {
  key: string;
  state: ScriptState;
  nextTurn: number;
  anonymous: boolean;
}

/** Where one request goes: a turn, or the reason there is none. */
export type RouteResult =
  | { turn: ScriptedTurn; turnIndex: number; scriptName: string; sessionKey: string }
  | { error: string };

function accepts(matcher: ScriptMatcher | undefined, request: RecordedModelRequest): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return request.text.includes(matcher);
  if (matcher instanceof RegExp) {
    matcher.lastIndex = 0;
    return matcher.test(request.text);
  }
  return matcher(request);
}

/** Creates an empty router. */
export function createScriptRouter() {
  const scripts: ScriptState[] = [];
  const sessions = new Map<string, Session>();
  let anonymousCount = 0;

  const turnOf = (session: Session, request: RecordedModelRequest): RouteResult => {
    const { turns } = session.state.script;
    request.sessionKey = session.key;
    request.scriptName = session.state.name;
    if (session.nextTurn >= turns.length) {
      return {
        error:
          `script "${session.state.name}" has no turn left for session ${session.key}: it has ` +
          `${turns.length} turn(s) and request #${request.index} asks for turn ${session.nextTurn + 1}`,
      };
    }
    const turnIndex = session.nextTurn++;
    request.turnIndex = turnIndex;
    return {
      turn: turns[turnIndex] as ScriptedTurn,
      turnIndex,
      scriptName: session.state.name,
      sessionKey: session.key,
    };
  };

  const claim = (request: RecordedModelRequest, key: string | undefined): Session | undefined => {
    const state = scripts.find(
      (candidate) =>
        (candidate.script.reuse === true || candidate.sessionKeys.length === 0) &&
        accepts(candidate.script.match, request),
    );
    if (state === undefined) return undefined;
    const sessionKey = key ?? `anonymous-${++anonymousCount}`;
    const session: Session = { key: sessionKey, state, nextTurn: 0, anonymous: key === undefined };
    state.sessionKeys.push(sessionKey);
    sessions.set(sessionKey, session);
    return session;
  };

  const describe = (request: RecordedModelRequest) =>
    `request #${request.index} (session ${request.sessionHeader ?? 'none'}, model ${request.model ?? 'none'}, ` +
    `text starts ${JSON.stringify(request.text.slice(0, 120))})`;

  return {
    addScript(script: ScriptedModelScript): ScriptedModelScriptHandle {
      const state: ScriptState = {
        name: script.name ?? `script-${scripts.length + 1}`,
        script,
        sessionKeys: [],
      };
      scripts.push(state);
      return {
        name: state.name,
        get sessionKeys() {
          return state.sessionKeys;
        },
      };
    },

    route(request: RecordedModelRequest): RouteResult {
      const header = request.sessionHeader;
      if (header !== undefined) {
        let session = sessions.get(header);
        // A session that played all its turns (a resumed codex thread) moves on to the next script.
        if (session === undefined || session.nextTurn >= session.state.script.turns.length) {
          session = claim(request, header) ?? session;
        }
        return session === undefined
          ? { error: `no script accepts ${describe(request)}` }
          : turnOf(session, request);
      }
      const candidates = [...sessions.values()].filter(
        (session) => session.anonymous && accepts(session.state.script.match, request),
      );
      const open = candidates.find((session) => session.nextTurn < session.state.script.turns.length);
      const session = open ?? claim(request, undefined) ?? candidates.at(-1);
      return session === undefined
        ? { error: `no script accepts ${describe(request)}` }
        : turnOf(session, request);
    },

    /** What was not played: sessions with turns left, scripts no session took. */
    unfinished(): string[] {
      const problems: string[] = [];
      for (const session of sessions.values()) {
        const left = session.state.script.turns.length - session.nextTurn;
        if (left > 0)
          problems.push(`script "${session.state.name}" (session ${session.key}) has ${left} turn(s) left`);
      }
      for (const state of scripts) {
        if (state.script.reuse !== true && state.sessionKeys.length === 0) {
          problems.push(`script "${state.name}" was never used`);
        }
      }
      return problems;
    },
  };
}
