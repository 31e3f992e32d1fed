-- When the sink wrote an order's row first (its transaction's start): how far
-- the database trails the matchers, per order.
ALTER TABLE tb_orders ADD COLUMN written_at timestamptz NOT NULL DEFAULT now();
