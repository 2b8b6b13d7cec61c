import { usersDocument } from './linear-documents.js';
import type { LinearGraphql } from './linear-graphql.js';
import type { LinearRole, LinearTrackerSettings } from './linear-tracker-settings.js';

interface Member {
  id: string;
  email: string;
  admin: boolean;
  guest: boolean;
  active: boolean;
}

const roleOf = (member: Member): LinearRole => (member.admin ? 'admin' : member.guest ? 'guest' : 'member');

/**
 * Who may start runs and approve merges: the workspace's members, read once per cache period
 * (one request per 250 members), checked against the allowed users (ids or emails) and roles.
 * Deactivated users are never allowed.
 */
export function createLinearPeople(
  graphql: LinearGraphql,
  settings: Pick<LinearTrackerSettings, 'allowed' | 'membersCacheMs'>,
) {
  const users = (settings.allowed?.users ?? []).map((each) => each.trim().toLowerCase());
  const roles: readonly LinearRole[] =
    settings.allowed?.roles ?? (users.length === 0 ? ['admin', 'member'] : []);
  const cacheMs = settings.membersCacheMs ?? 10 * 60_000;
  let cached: { at: number; members: Map<string, Member> } | undefined;
  let loading: Promise<Map<string, Member>> | undefined;

  const load = async (signal?: AbortSignal) => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.members;
    loading ??= (async () => {
      const members = new Map<string, Member>();
      let after: string | undefined;
      for (let page = 0; page < 100; page += 1) {
        const data = await graphql.request<{
          users: { nodes: Member[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        }>(usersDocument, after === undefined ? {} : { after }, signal);
        for (const member of data.users.nodes) members.set(member.id, member);
        if (!data.users.pageInfo.hasNextPage || data.users.pageInfo.endCursor === null) break;
        after = data.users.pageInfo.endCursor;
      }
      cached = { at: Date.now(), members };
      return members;
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  return {
    /** Whether the user with this id may start runs and approve merges. */
    async isAllowed(userId: string, signal?: AbortSignal): Promise<boolean> {
      if (userId === '') return false;
      const member = (await load(signal)).get(userId);
      if (member === undefined || !member.active) return false;
      if (users.includes(member.id.toLowerCase()) || users.includes(member.email.toLowerCase())) return true;
      return roles.includes(roleOf(member));
    },
    /** The user id of an id or email, when the workspace has such a member. */
    async resolve(idOrEmail: string, signal?: AbortSignal): Promise<string | undefined> {
      const wanted = idOrEmail.trim().toLowerCase();
      for (const member of (await load(signal)).values()) {
        if (member.id.toLowerCase() === wanted || member.email.toLowerCase() === wanted) return member.id;
      }
      return undefined;
    },
  };
}
