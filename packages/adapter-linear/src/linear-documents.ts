/**
 * The GraphQL documents the adapter sends, written by hand. The SDK's generated model objects
 * load each relation lazily (an issue's state, labels, creator and comments are one request
 * each, and every generated query selects every field of its type), which would multiply the
 * requests of each poll; these documents ask for exactly what the adapter reads, one request per
 * page, and run through the SDK's own GraphQL client (auth header, error types).
 */

const issueFields = /* GraphQL */ `
  id
  identifier
  title
  description
  url
  createdAt
  updatedAt
  creator { id }
  assignee { id }
  state { id name type }
  team { id key }
  project { id name }
  labels(first: 50) { nodes { id name } }
`;

/** Candidate issues, newest change first, one page. */
export const issuesDocument = /* GraphQL */ `
  query OrchestratorIssues($filter: IssueFilter, $first: Int, $after: String) {
    issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
      nodes { ${issueFields} }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const commentFields = 'id body createdAt user { id }';

/**
 * One issue with its first 100 comments: the state machine reads an issue and then its comments
 * at each poll of a claimed issue, so one request answers both.
 */
export const issueDocument = /* GraphQL */ `
  query OrchestratorIssue($id: String!) {
    issue(id: $id) {
      ${issueFields}
      comments(first: 100) { nodes { ${commentFields} } pageInfo { hasNextPage endCursor } }
    }
  }
`;

/** Label changes of an issue, with who made them (for "labelled by an allowed person"). */
export const issueHistoryDocument = /* GraphQL */ `
  query OrchestratorIssueHistory($id: String!, $after: String) {
    issue(id: $id) {
      history(first: 100, after: $after) {
        nodes { createdAt actor { id } addedLabelIds }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export const issueCommentsDocument = /* GraphQL */ `
  query OrchestratorIssueComments($id: String!, $after: String) {
    issue(id: $id) {
      comments(first: 100, after: $after) {
        nodes { ${commentFields} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export const viewerDocument = /* GraphQL */ `
  query OrchestratorViewer {
    viewer { id name }
  }
`;

export const usersDocument = /* GraphQL */ `
  query OrchestratorUsers($after: String) {
    users(first: 250, after: $after) {
      nodes { id email admin guest active }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const teamStatesDocument = /* GraphQL */ `
  query OrchestratorTeamStates($key: String!) {
    teams(filter: { key: { eq: $key } }, first: 1) {
      nodes { id key states(first: 100) { nodes { id name type } } }
    }
  }
`;

export const labelsDocument = /* GraphQL */ `
  query OrchestratorLabels($name: String!) {
    issueLabels(filter: { name: { eq: $name } }, first: 100) {
      nodes { id name team { id } }
    }
  }
`;

export const issueUpdateDocument = /* GraphQL */ `
  mutation OrchestratorIssueUpdate($id: String!, $input: IssueUpdateInput!) {
    issueUpdate(id: $id, input: $input) { success }
  }
`;

export const commentCreateDocument = /* GraphQL */ `
  mutation OrchestratorCommentCreate($input: CommentCreateInput!) {
    commentCreate(input: $input) { success comment { id } }
  }
`;

export const commentUpdateDocument = /* GraphQL */ `
  mutation OrchestratorCommentUpdate($id: String!, $input: CommentUpdateInput!) {
    commentUpdate(id: $id, input: $input) { success }
  }
`;
