import { openJournaledBook } from 'tickbook';

// Recovers from the files if they exist (dropping a torn last record), then
// journals every command. Missing folders are created.
const { book, sink, recovered } = openJournaledBook({
  journalPath: 'data/BTC-USD.journal',
  snapshotPath: 'data/BTC-USD.snapshot', // optional: enables checkpoints
  config: { minPrice: 1, maxPrice: 1_000_000, capacity: 100_000 },
  fsync: 'batch', // or 'interval' (every intervalMs) or 'never'
});
console.log(recovered ? `recovered ${book.size} resting orders` : 'new book');

// Ids must be unique among resting orders, and recovered orders are resting:
// a service takes ids from its own order store; this demo uses the sequence.
const id = book.sequence + 1;
book.limit({ id, side: 'buy', price: 50_000, qty: 2 }); // returns after the record is on disk
book.checkpoint(); // snapshot + a fresh, empty journal: recovery replays only what comes after
sink.close(); // the journal file; the book takes no more commands
