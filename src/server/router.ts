import type { RouteHandler } from './route-types.js';

/** One route: its path pattern (used as the metrics label), method, and what guards it. */
export interface Route {
  name: string;
  method: string;
  /** Needs an API key (X-API-Key). */
  auth: boolean;
  /** Requests per minute per caller scope (needs `auth`). */
  perMinute?: number;
  handler: RouteHandler;
}

/**
 * The route table: by path, then method, so no key is built per request. A
 * path with no route for the method answers 405 with the methods it has.
 * Rate-limit bucket names (`scope:route`) are made once per pair and kept here.
 */
export class Router {
  private readonly byPath = new Map<string, Map<string, Route>>();
  private readonly bucketNames = new Map<Route, Map<string, string>>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      let methods = this.byPath.get(route.name);
      if (!methods) this.byPath.set(route.name, (methods = new Map()));
      methods.set(route.method, route);
    }
  }

  /** The routes at `path` by method; undefined when there is no such path. */
  methodsAt(path: string): ReadonlyMap<string, Route> | undefined {
    return this.byPath.get(path);
  }

  /** The rate-limit bucket of a route for one caller scope. */
  bucketName(route: Route, scope: string): string {
    let byScope = this.bucketNames.get(route);
    if (!byScope) this.bucketNames.set(route, (byScope = new Map()));
    let name = byScope.get(scope);
    if (name === undefined) {
      name = `${scope}:${route.name}`;
      if (byScope.size >= 10_000) byScope.clear(); // bounded, like the limiter's own buckets
      byScope.set(scope, name);
    }
    return name;
  }
}
