/**
 * The reference book's state: everything the steps in the other files of this
 * folder read and change (docs/semantics.md, "Units and limits",
 * "Level-changed events" for `sequence`, "Time and good-till-date" for `time`,
 * "Stop orders" for the last price and the stop lists).
 */
import type { ResolvedConfig } from '../config';
import type { Side } from '../types';
import { BookSide } from './book-side';
import { ExpiryHeap } from './expiry';
import type { OrderNode } from './order-queue';

export class BookState {
  /** Commands applied so far (refused ones do not count). */
  sequence = 0;
  /** The book's time: moved only by advanceTime. */
  time = 0;
  /** Last trade price; 0 before the first trade. */
  last = 0;
  readonly bids: BookSide;
  readonly asks: BookSide;
  /** Resting orders and untriggered stops by id. */
  readonly orders = new Map<number, OrderNode>();
  /** Untriggered stops by trigger: buy stops lowest trigger first, sell stops highest first; FIFO per trigger. */
  readonly buyStops: BookSide;
  readonly sellStops: BookSide;
  /** Stops triggered by the running command, not yet entered (earliest triggered first). */
  readonly pending: OrderNode[] = [];
  /** Good-till-date orders by (expiresAt, id); lazy deletion (see nextExpiry). */
  readonly expiries = new ExpiryHeap();

  constructor(readonly config: ResolvedConfig) {
    const band = config.maxPrice - config.minPrice + 1;
    this.bids = new BookSide('buy', config.minPrice, band);
    this.asks = new BookSide('sell', config.minPrice, band);
    this.buyStops = new BookSide('sell', config.minPrice, band);
    this.sellStops = new BookSide('buy', config.minPrice, band);
  }
}

/** The resting orders of `side`: bids for 'buy', asks for 'sell'. */
export function sideOf(state: BookState, side: Side): BookSide {
  return side === 'buy' ? state.bids : state.asks;
}

/** The makers an order of `side` trades against. */
export function oppositeOf(state: BookState, side: Side): BookSide {
  return side === 'buy' ? state.asks : state.bids;
}

/** The untriggered stops of `side`, by trigger. */
export function stopsOf(state: BookState, side: Side): BookSide {
  return side === 'buy' ? state.buyStops : state.sellStops;
}
