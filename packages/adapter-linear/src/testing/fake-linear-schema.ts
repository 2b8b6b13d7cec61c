import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The subset of Linear's GraphQL schema the adapter uses, with Linear's own type, field, input
 * and argument names (so a document that runs here runs against api.linear.app). Anything not
 * listed is refused by graphql-js validation, as Linear refuses unknown fields.
 */
const schemaSource = /* GraphQL */ `
  scalar DateTime

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Organization {
    id: ID!
    name: String!
    urlKey: String!
    users(first: Int, after: String, includeDisabled: Boolean): UserConnection!
  }

  type User {
    id: ID!
    name: String!
    displayName: String!
    email: String!
    admin: Boolean!
    guest: Boolean!
    active: Boolean!
    isMe: Boolean!
  }
  type UserConnection {
    nodes: [User!]!
    pageInfo: PageInfo!
  }

  type Team {
    id: ID!
    key: String!
    name: String!
    states(first: Int, after: String): WorkflowStateConnection!
    labels(first: Int, after: String): IssueLabelConnection!
  }
  type TeamConnection {
    nodes: [Team!]!
    pageInfo: PageInfo!
  }

  type WorkflowState {
    id: ID!
    name: String!
    "One of triage, backlog, unstarted, started, completed, canceled, duplicate."
    type: String!
    position: Float!
    team: Team!
  }
  type WorkflowStateConnection {
    nodes: [WorkflowState!]!
    pageInfo: PageInfo!
  }

  type IssueLabel {
    id: ID!
    name: String!
    team: Team
  }
  type IssueLabelConnection {
    nodes: [IssueLabel!]!
    pageInfo: PageInfo!
  }

  type Project {
    id: ID!
    name: String!
  }

  type IssueHistory {
    id: ID!
    createdAt: DateTime!
    actor: User
    addedLabelIds: [String!]
    removedLabelIds: [String!]
    fromState: WorkflowState
    toState: WorkflowState
  }
  type IssueHistoryConnection {
    nodes: [IssueHistory!]!
    pageInfo: PageInfo!
  }

  type Comment {
    id: ID!
    body: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    editedAt: DateTime
    user: User
    issue: Issue
  }
  type CommentConnection {
    nodes: [Comment!]!
    pageInfo: PageInfo!
  }

  type Issue {
    id: ID!
    identifier: String!
    number: Float!
    title: String!
    description: String
    url: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    canceledAt: DateTime
    completedAt: DateTime
    archivedAt: DateTime
    creator: User
    assignee: User
    state: WorkflowState!
    team: Team!
    project: Project
    labels(first: Int, after: String): IssueLabelConnection!
    comments(first: Int, after: String): CommentConnection!
    history(first: Int, after: String): IssueHistoryConnection!
  }
  type IssueConnection {
    nodes: [Issue!]!
    pageInfo: PageInfo!
  }

  type IssuePayload {
    success: Boolean!
    lastSyncId: Float!
    issue: Issue
  }
  type CommentPayload {
    success: Boolean!
    lastSyncId: Float!
    comment: Comment!
  }

  enum PaginationOrderBy {
    createdAt
    updatedAt
  }

  input IDComparator {
    eq: ID
    neq: ID
    in: [ID!]
    nin: [ID!]
  }
  input StringComparator {
    eq: String
    neq: String
    in: [String!]
    nin: [String!]
    eqIgnoreCase: String
  }
  input DateComparator {
    eq: DateTime
    gt: DateTime
    gte: DateTime
    lt: DateTime
    lte: DateTime
  }
  input BooleanComparator {
    eq: Boolean
    neq: Boolean
  }
  input TeamFilter {
    id: IDComparator
    key: StringComparator
    name: StringComparator
  }
  input NullableProjectFilter {
    id: IDComparator
    name: StringComparator
    null: Boolean
  }
  input NullableTeamFilter {
    id: IDComparator
    key: StringComparator
    null: Boolean
  }
  input IssueLabelFilter {
    id: IDComparator
    name: StringComparator
    team: NullableTeamFilter
  }
  input IssueLabelCollectionFilter {
    id: IDComparator
    name: StringComparator
    some: IssueLabelFilter
    every: IssueLabelFilter
  }
  input WorkflowStateFilter {
    id: IDComparator
    name: StringComparator
    type: StringComparator
    team: TeamFilter
  }
  input NullableUserFilter {
    id: IDComparator
    email: StringComparator
    isMe: BooleanComparator
    null: Boolean
  }
  input UserFilter {
    id: IDComparator
    email: StringComparator
    admin: BooleanComparator
    active: BooleanComparator
  }
  input IssueFilter {
    id: IDComparator
    team: TeamFilter
    project: NullableProjectFilter
    labels: IssueLabelCollectionFilter
    state: WorkflowStateFilter
    assignee: NullableUserFilter
    creator: NullableUserFilter
    createdAt: DateComparator
    updatedAt: DateComparator
    and: [IssueFilter!]
    or: [IssueFilter!]
  }
  input IssueUpdateInput {
    title: String
    description: String
    stateId: String
    assigneeId: String
    labelIds: [String!]
    addedLabelIds: [String!]
    removedLabelIds: [String!]
  }
  input CommentCreateInput {
    issueId: String!
    body: String!
  }
  input CommentUpdateInput {
    body: String!
  }

  type Query {
    viewer: User!
    organization: Organization!
    users(filter: UserFilter, first: Int, after: String, includeDisabled: Boolean): UserConnection!
    teams(filter: TeamFilter, first: Int, after: String): TeamConnection!
    team(id: String!): Team!
    issue(id: String!): Issue!
    issues(
      filter: IssueFilter
      first: Int
      after: String
      orderBy: PaginationOrderBy
      includeArchived: Boolean
    ): IssueConnection!
    workflowStates(filter: WorkflowStateFilter, first: Int, after: String): WorkflowStateConnection!
    issueLabels(filter: IssueLabelFilter, first: Int, after: String): IssueLabelConnection!
  }

  type Mutation {
    issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
    issueAddLabel(id: String!, labelId: String!): IssuePayload!
    issueRemoveLabel(id: String!, labelId: String!): IssuePayload!
    commentCreate(input: CommentCreateInput!): CommentPayload!
    commentUpdate(id: String!, input: CommentUpdateInput!): CommentPayload!
  }
`;

let built: GraphQLSchema | undefined;

/** The fake's schema, built once per process. */
export function fakeLinearSchema(): GraphQLSchema {
  built ??= buildSchema(schemaSource);
  return built;
}
