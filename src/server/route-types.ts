import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { Principal } from './authenticate.js';

/** What a route handler sees of one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  /** The authenticated caller (set for /api routes). */
  principal: Principal | undefined;
  /** The body, read once, at most the configured limit (413 above it). */
  body(): Promise<Buffer>;
  /** A logger whose every line carries this request's id. */
  log(): Logger;
}

/** A route's answer; create-server writes it as JSON (or as text when `text` is set). */
export interface RouteResult {
  status: number;
  body?: Record<string, unknown>;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RouteHandler = (context: RequestContext) => Promise<RouteResult>;
