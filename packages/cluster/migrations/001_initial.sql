-- Trades and order states from the event stream, and how far the sink got.
-- Quantities and prices are the book's integers (lots, ticks); ids are the
-- book's order ids, unique per symbol.

CREATE TABLE tb_trades (
  symbol      text    NOT NULL,
  -- The command message (command-stream sequence) whose events hold the trade.
  cmd_seq     bigint  NOT NULL,
  -- The trade's place among that message's trades.
  trade_no    integer NOT NULL,
  maker_id    bigint  NOT NULL,
  taker_id    bigint  NOT NULL,
  taker_side  text    NOT NULL CHECK (taker_side IN ('buy', 'sell')),
  price       bigint  NOT NULL,
  qty         bigint  NOT NULL,
  PRIMARY KEY (symbol, cmd_seq, trade_no)
);

CREATE TABLE tb_orders (
  symbol        text    NOT NULL,
  order_id      bigint  NOT NULL,
  owner         bigint,
  side          text    NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type    text    NOT NULL,
  -- Limit price; NULL for a market order.
  price         bigint,
  -- Quantity ordered (the notional for a market order sized by notional).
  qty           bigint  NOT NULL,
  -- Open quantity now, and lots filled so far.
  remaining     bigint  NOT NULL,
  filled        bigint  NOT NULL DEFAULT 0,
  -- open | filled | cancelled
  status        text    NOT NULL,
  cancel_reason text,
  -- The command message that last changed this row, and the one that placed it.
  updated_seq   bigint  NOT NULL,
  placed_seq    bigint  NOT NULL,
  PRIMARY KEY (symbol, order_id)
);

CREATE INDEX tb_orders_owner ON tb_orders (owner, symbol);
CREATE INDEX tb_trades_maker ON tb_trades (symbol, maker_id);
CREATE INDEX tb_trades_taker ON tb_trades (symbol, taker_id);

-- Written in the same transaction as the rows: the last command message whose
-- results are in the tables, per symbol. A redelivered message at or below it
-- is skipped, so no row is written twice and none is lost.
CREATE TABLE tb_sink_progress (
  symbol    text   PRIMARY KEY,
  last_seq  bigint NOT NULL
);
