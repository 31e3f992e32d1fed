import { CommandBuffer, createWasmBook, EV_TRADE } from 'tickbook';

// createWasmBook: the WASM engine's own type, with the binary batch calls
const book = createWasmBook({ minPrice: 1, maxPrice: 20_000, capacity: 100_000 });
const commands = new CommandBuffer(); // fill once, numeric arguments, no object per command
commands.limit(1, 0 /* buy */, 9_999, 10); // id, side, price, qty[, tif, postOnly, owner, stp]
commands.market(2, 1 /* sell */, 4);
let notional = 0;
book.applyEncoded(commands, (events) => {
  // one reusable cursor per chunk of events, read by index: no object per event
  for (let i = 0; i < events.count; i++) {
    if (events.typeAt(i) !== EV_TRADE) continue;
    events.seek(i); // the fields below now read event i
    notional += events.price * events.qty;
  }
});
console.log(notional); // 39996
