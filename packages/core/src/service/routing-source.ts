import type { Task, TaskSource } from '../types.js';
import type { RouteDecision } from './route-task.js';

/** A task the router could not place, kept until someone names its project. */
export interface ParkedTask {
  task: Task;
  decision: Extract<RouteDecision, { kind: 'ask' }>;
}

/** What `createRoutingSource` needs from the service. */
export interface RoutingSourceOptions {
  /** Routes one task (the service's router). */
  route(task: Task, signal: AbortSignal): Promise<RouteDecision>;
  /**
   * Records a task waiting for its project and asks its sender. Once someone names the project,
   * the service enqueues the task itself, with the same source, so its ack still reaches it.
   */
  park(parked: ParkedTask): Promise<void>;
}

/**
 * Wraps a source so the dispatcher only ever sees tasks whose project is known
 * (`task.metadata.project`): routed tasks pass on at once, the others are parked. Acks go to the
 * inner source unchanged.
 */
export function createRoutingSource(inner: TaskSource, options: RoutingSourceOptions): TaskSource {
  return {
    name: inner.name,
    ...(inner.ack ? { ack: inner.ack.bind(inner) } : {}),
    async *tasks(signal) {
      for await (const task of inner.tasks(signal)) {
        if (signal.aborted) return;
        const decision = await options.route(task, signal);
        if (decision.kind === 'routed')
          yield { ...task, text: decision.text, metadata: { ...task.metadata, project: decision.project } };
        else await options.park({ task, decision });
      }
    },
  };
}
