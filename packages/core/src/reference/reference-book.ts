/**
 * The reference matcher (`engine: 'js'`): plain TypeScript written to be
 * obviously correct. It is the oracle the WebAssembly engine is tested against;
 * every rule here is spelled out in docs/semantics.md.
 *
 * This file is only the `Book` facade: each command is validated (validate.ts:
 * checks only, nothing changed), then applied by its exec step, then the stops
 * its trades triggered are run (stops.ts) and the command is counted
 * (docs/semantics.md: the batch rule of "Validation (first failing check
 * wins)"; `sequence` in "Level-changed events"). The steps live in state,
 * validate, match, levels, icebergs, stops, expiry, amend, restore and queries.
 */
import type { Book } from '../book';
import type { ResolvedConfig } from '../config';
import { snapshotBook } from '../durability/snapshot';
import { stateHash } from '../durability/state-hash';
import type { ErrorCode } from '../errors';
import { rejectedEvent } from '../events';
import { RESTORE, type Restorable, type SnapshotOrder, type SnapshotStop } from '../internal';
import { refusal } from '../refusal';
import type {
  BookEvent,
  Command,
  Depth,
  Level,
  LimitOrder,
  MarketOrder,
  ModifyRequest,
  OrderInfo,
  ReduceRequest,
  RestingOrder,
  Side,
  StopOrder,
} from '../types';
import { checkBatch, commandIdOf } from '../validate';
import { execCancel, execModify, execReduce } from './amend';
import { execAdvance, nextExpiry } from './expiry';
import { execLimit, execMarket } from './match';
import * as query from './queries';
import { limitFields, marketFields, modifyFields, reduceFields, stopFields } from './read-once';
import { restoreOrder, restoreStop } from './restore';
import { BookState } from './state';
import { execStop, runTriggered } from './stops';
import {
  validateAdvance,
  validateCancel,
  validateLimit,
  validateMarket,
  validateModify,
  validateReduce,
  validateStop,
} from './validate';

export class ReferenceBook implements Book, Restorable {
  readonly engine = 'js' as const;
  private readonly state: BookState;

  constructor(readonly config: ResolvedConfig) {
    this.state = new BookState(config);
  }

  /** Commands applied so far (refused ones do not count). */
  get sequence(): number {
    return this.state.sequence;
  }

  /** The book's time: moved only by advanceTime. */
  get time(): number {
    return this.state.time;
  }

  get lastPrice(): number | undefined {
    const last = this.state.last;
    return last === 0 ? undefined : last;
  }

  get nextExpiry(): number | undefined {
    return nextExpiry(this.state);
  }

  get size(): number {
    return this.state.orders.size;
  }

  // ---- commands: validate (nothing changed), then exec ----------------------

  limit(order: LimitOrder): BookEvent[] {
    const events: BookEvent[] = [];
    const fields = limitFields(order);
    const code = validateLimit(this.state, fields);
    if (code === undefined) execLimit(this.state, fields, events);
    this.settle(code, fields?.id, events, order);
    return events;
  }

  market(order: MarketOrder): BookEvent[] {
    const events: BookEvent[] = [];
    const fields = marketFields(order);
    const code = validateMarket(this.state, fields);
    if (code === undefined) execMarket(this.state, fields, events);
    this.settle(code, fields?.id, events, order);
    return events;
  }

  stop(order: StopOrder): BookEvent[] {
    const events: BookEvent[] = [];
    const fields = stopFields(order);
    const code = validateStop(this.state, fields);
    if (code === undefined) execStop(this.state, fields, events);
    this.settle(code, fields?.id, events, order);
    return events;
  }

  cancel(id: number): BookEvent[] {
    const events: BookEvent[] = [];
    const code = validateCancel(this.state, id);
    if (code === undefined) execCancel(this.state, id, events);
    this.settle(code, id, events, id);
    return events;
  }

  modify(request: ModifyRequest): BookEvent[] {
    const events: BookEvent[] = [];
    const fields = modifyFields(request);
    const code = validateModify(this.state, fields);
    if (code === undefined) execModify(this.state, fields, events);
    this.settle(code, fields?.id, events, request);
    return events;
  }

  reduce(request: ReduceRequest): BookEvent[] {
    const events: BookEvent[] = [];
    const fields = reduceFields(request);
    const code = validateReduce(this.state, fields);
    if (code === undefined) execReduce(this.state, fields, events);
    this.settle(code, fields?.id, events, request);
    return events;
  }

  advanceTime(time: number): BookEvent[] {
    const events: BookEvent[] = [];
    const code = validateAdvance(this.state, time);
    if (code === undefined) execAdvance(this.state, time, events);
    this.settle(code, undefined, events, time);
    return events;
  }

  submit(command: Command): BookEvent[] {
    const events: BookEvent[] = [];
    this.applyOne(command, events);
    return events;
  }

  apply(commands: readonly Command[]): BookEvent[] {
    checkBatch(commands);
    const events: BookEvent[] = [];
    for (const command of commands) this.applyOne(command, events);
    return events;
  }

  /** Count an applied command, or throw for a refused one. */
  private settle(
    code: ErrorCode | undefined,
    id: unknown,
    events: BookEvent[],
    input: unknown,
  ): void {
    if (code) throw refusal(code, typeof id === 'number' ? id : undefined, input);
    runTriggered(this.state, events);
    this.state.sequence += 1;
  }

  /** Apply one batch command: refusals become a rejected event. */
  private applyOne(command: Command, events: BookEvent[]): void {
    const code = this.dispatch(command, events);
    if (code) events.push(rejectedEvent(commandIdOf(command), code));
    else {
      runTriggered(this.state, events);
      this.state.sequence += 1;
    }
  }

  /** Validate one batch command and, when it passes, apply it. */
  private dispatch(command: Command, events: BookEvent[]): ErrorCode | undefined {
    if (typeof command !== 'object' || command === null) return 'INVALID_COMMAND';
    const state = this.state;
    let code: ErrorCode | undefined;
    // each field read once (read-once.ts), then checked and applied
    switch (command.kind) {
      case 'limit': {
        const fields = limitFields(command);
        code = validateLimit(state, fields);
        if (code === undefined) execLimit(state, fields, events);
        return code;
      }
      case 'market': {
        const fields = marketFields(command);
        code = validateMarket(state, fields);
        if (code === undefined) execMarket(state, fields, events);
        return code;
      }
      case 'cancel': {
        const id = command.id;
        code = validateCancel(state, id);
        if (code === undefined) execCancel(state, id, events);
        return code;
      }
      case 'modify': {
        const fields = modifyFields(command);
        code = validateModify(state, fields);
        if (code === undefined) execModify(state, fields, events);
        return code;
      }
      case 'reduce': {
        const fields = reduceFields(command);
        code = validateReduce(state, fields);
        if (code === undefined) execReduce(state, fields, events);
        return code;
      }
      case 'advance-time': {
        const time = command.time;
        code = validateAdvance(state, time);
        if (code === undefined) execAdvance(state, time, events);
        return code;
      }
      case 'stop': {
        const fields = stopFields(command);
        code = validateStop(state, fields);
        if (code === undefined) execStop(state, fields, events);
        return code;
      }
      default:
        return 'INVALID_TYPE';
    }
  }

  snapshot(): Uint8Array {
    return snapshotBook(this);
  }

  stateHash(): string {
    return stateHash(this);
  }

  [RESTORE](
    orders: Iterable<SnapshotOrder>,
    sequence: number,
    time: number,
    stops: Iterable<SnapshotStop>,
    lastPrice: number,
  ): void {
    const state = this.state;
    state.time = time;
    state.last = lastPrice;
    for (const s of stops) restoreStop(state, s);
    for (const o of orders) restoreOrder(state, o);
    state.sequence = sequence;
  }

  // ---- queries (queries.ts) ---------------------------------------------------

  bestBid(): Level | undefined {
    return query.bestBid(this.state);
  }

  bestAsk(): Level | undefined {
    return query.bestAsk(this.state);
  }

  levels(side: Side, limit?: number): Level[] {
    return query.levels(this.state, side, limit);
  }

  depth(limit?: number): Depth {
    return query.depth(this.state, limit);
  }

  ordersAt(side: Side, price: number): RestingOrder[] {
    return query.ordersAt(this.state, side, price);
  }

  order(id: number): OrderInfo | undefined {
    return query.order(this.state, id);
  }

  stops(): OrderInfo[] {
    return query.stops(this.state);
  }
}
