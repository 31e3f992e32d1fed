import {
  CommandBuffer,
  createWasmBook,
  EV_REJECTED,
  EV_TRADE,
  SIDE_BUY,
  SIDE_SELL,
} from 'tickbook';

// createWasmBook: the WASM engine's own type, with the binary batch calls
const book = createWasmBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000 });
const commands = new CommandBuffer(); // fill once, numeric arguments, no object per command
commands.limit(1, SIDE_BUY, 9_999, 10); // id, side, price, qty[, tif, postOnly, owner, stp, …]
commands.market(2, SIDE_SELL, 4);
commands.cancel(3); // no such order: a rejected event
let notional = 0;
book.applyEncoded(commands, (events) => {
  // one reusable cursor per chunk of events, read by index: no object per event
  for (let i = 0; i < events.count; i++) {
    const type = events.typeAt(i);
    if (type !== EV_TRADE && type !== EV_REJECTED) continue;
    events.seek(i); // the fields below now read event i
    if (type === EV_TRADE) notional += events.price * events.qty;
    else console.log(`order ${events.id} refused: ${events.errorCode}`); // order 3 refused: UNKNOWN_ORDER
  }
});
console.log(notional); // 39996
