// The native ceiling of `npm run bench`: a hand-written C++ price-ladder order
// book that runs the same W1 stream as tickbook's paths, in the same run, so
// each path's speed can be read as a multiple of what plain native code does
// on this machine (a ratio survives the shared machine's noise; an absolute
// figure does not).
//
// It does the work a W1 operation needs and no more, the way a C++ engine
// for one instrument would: the checks of each field and of a duplicate id,
// an id map (open addressing, backward-shift delete), an order pool with a
// free list, one FIFO per price tick per side with its total and count, best
// bid and ask, price-time matching at the maker's price, and an event record
// for every acceptance, fill, level change, cancel and refusal, written to a
// small event region that a consumer reads (each event's type) whenever it
// fills and after each batch of 4,096 commands, as tickbook's binary batch
// path is read. No self-trade prevention, icebergs, stops or expiry: W1 uses
// none, so leaving them out makes this a ceiling, not a peer.
//
//   ladder <ops file> <runs>
// The ops file (written by ceiling.ts): "TBW1", u32 warm-up count, u32 ops
// count, u32 min price, u32 max price, u32 capacity, then for the warm-up and
// then the ops: kind u8[n], side u8[n], id u32[n], price u32[n], qty u32[n]
// (little-endian). Prints one JSON line: each run's operations per second,
// and the W1 checksums.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr uint8_t OP_PASSIVE = 0, OP_CANCEL = 1, OP_MARKETABLE = 2, OP_MARKET = 3;
constexpr uint64_t MAX_SAFE = (1ULL << 53) - 1;
constexpr int BATCH = 4096;
constexpr int EV_REGION = 1024;

enum EventType : uint8_t { EV_ACCEPTED = 1, EV_TRADE, EV_LEVEL, EV_CANCELLED, EV_REJECTED };

struct Event {
  uint8_t type, side, code, pad;
  uint32_t count;
  uint64_t id, other;
  int64_t price, qty, remaining;
};

struct Order {
  uint64_t id;
  int64_t qty;
  int32_t prev, next;
  int32_t tick;
  uint8_t side;
};

struct Level {
  int32_t head = -1, tail = -1;
  int64_t total = 0;
  int32_t count = 0;
};

struct Ops {
  uint32_t n = 0;
  std::vector<uint8_t> kind, side;
  std::vector<uint32_t> id, price, qty;
};

struct Checksums {
  uint64_t fills = 0, filledQty = 0, refusedCancels = 0;
  double notional = 0;
};

/** id → pool slot: open addressing, linear probing, backward-shift delete, load ≤ 1/2. */
class IdMap {
 public:
  IdMap() { resize(1024); }

  int32_t find(uint64_t id) const {
    for (uint32_t i = home(id);; i = (i + 1) & mask_) {
      if (keys_[i] == id) return slots_[i];
      if (keys_[i] == 0) return -1;
    }
  }

  void insert(uint64_t id, int32_t slot) {
    if (2 * (count_ + 1) > keys_.size()) grow();
    uint32_t i = home(id);
    while (keys_[i] != 0) i = (i + 1) & mask_;
    keys_[i] = id;
    slots_[i] = slot;
    count_++;
  }

  void erase(uint64_t id) {
    uint32_t i = home(id);
    while (keys_[i] != id) i = (i + 1) & mask_;
    // shift back every later entry of the run whose home is at or before the hole
    for (uint32_t j = (i + 1) & mask_; keys_[j] != 0; j = (j + 1) & mask_) {
      uint32_t h = home(keys_[j]);
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        keys_[i] = keys_[j];
        slots_[i] = slots_[j];
        i = j;
      }
    }
    keys_[i] = 0;
    count_--;
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<int32_t> slots_;
  uint32_t mask_ = 0, shift_ = 0, count_ = 0;

  uint32_t home(uint64_t id) const {
    return static_cast<uint32_t>((id * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void resize(uint32_t size) {
    keys_.assign(size, 0);
    slots_.assign(size, -1);
    mask_ = size - 1;
    shift_ = 64 - __builtin_ctz(size);
  }

  void grow() {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<int32_t> slots = std::move(slots_);
    resize(static_cast<uint32_t>(keys.size() * 2));
    count_ = 0;
    for (size_t k = 0; k < keys.size(); k++) {
      if (keys[k] != 0) insert(keys[k], slots[k]);
    }
  }
};

class Book {
 public:
  Book(int32_t minPrice, int32_t maxPrice, uint32_t capacity)
      : minPrice_(minPrice), nticks_(maxPrice - minPrice + 1), capacity_(capacity) {
    levels_[0].resize(nticks_);
    levels_[1].resize(nticks_);
    bestBid_ = -1;
    bestAsk_ = nticks_;
    pool_.reserve(capacity);
  }

  /** Apply `ops[from, to)`; events go to the region, read by `consume` when it fills. */
  void apply(const Ops& ops, uint32_t from, uint32_t to, Checksums& sums) {
    for (uint32_t i = from; i < to; i++) {
      switch (ops.kind[i]) {
        case OP_CANCEL:
          cancel(ops.id[i], sums);
          break;
        case OP_MARKET:
          order(ops.id[i], ops.side[i], ops.side[i] == 0 ? nticks_ - 1 : 0, ops.qty[i], false,
                sums);
          break;
        default:  // passive or marketable: a GTC limit
          order(ops.id[i], ops.side[i], static_cast<int64_t>(ops.price[i]) - minPrice_,
                ops.qty[i], true, sums);
          break;
      }
    }
    consume(sums);
  }

  uint32_t size() const { return used_; }

 private:
  int32_t minPrice_, nticks_;
  uint32_t capacity_, used_ = 0;
  std::vector<Level> levels_[2];
  int32_t bestBid_, bestAsk_;
  std::vector<Order> pool_;
  std::vector<int32_t> free_;
  IdMap map_;
  Event events_[EV_REGION];
  int evCount_ = 0;

  Event& emit(Checksums& sums) {
    if (evCount_ == EV_REGION) consume(sums);
    return events_[evCount_++];
  }

  /** The consumer: reads each event's type (and totals the fills). */
  void consume(Checksums& sums) {
    for (int k = 0; k < evCount_; k++) {
      const Event& e = events_[k];
      if (e.type == EV_TRADE) {
        sums.fills++;
        sums.filledQty += static_cast<uint64_t>(e.qty);
        sums.notional += static_cast<double>(e.price) * static_cast<double>(e.qty);
      }
    }
    evCount_ = 0;
  }

  void reject(uint64_t id, uint8_t code, Checksums& sums) {
    Event& e = emit(sums);
    e.type = EV_REJECTED;
    e.id = id;
    e.code = code;
  }

  void levelEvent(uint8_t side, int32_t tick, Checksums& sums) {
    const Level& lv = levels_[side][tick];
    Event& e = emit(sums);
    e.type = EV_LEVEL;
    e.side = side;
    e.price = tick + minPrice_;
    e.qty = lv.total;
    e.count = static_cast<uint32_t>(lv.count);
  }

  void order(uint64_t id, uint8_t side, int64_t tick, uint64_t qty, bool gtc, Checksums& sums) {
    if (id == 0 || id > MAX_SAFE) return reject(id, 1, sums);
    if (side > 1) return reject(id, 2, sums);
    if (tick < 0 || tick >= nticks_) return reject(id, 3, sums);
    if (qty == 0 || qty > MAX_SAFE) return reject(id, 4, sums);
    if (map_.find(id) >= 0) return reject(id, 5, sums);
    if (gtc && used_ >= capacity_) return reject(id, 6, sums);
    Event& a = emit(sums);
    a.type = EV_ACCEPTED;
    a.side = side;
    a.id = id;
    a.price = gtc ? tick + minPrice_ : 0;
    a.qty = static_cast<int64_t>(qty);
    int64_t left = static_cast<int64_t>(qty);
    const int32_t limit = static_cast<int32_t>(tick);
    if (side == 0) {
      while (left > 0 && bestAsk_ <= limit) left = take(1, bestAsk_, id, side, left, sums);
    } else {
      while (left > 0 && bestBid_ >= limit) left = take(0, bestBid_, id, side, left, sums);
    }
    if (left > 0 && gtc) rest(id, side, limit, left, sums);
  }

  /** Fill against the makers of `makerSide`'s level `tick`, oldest first; returns what is left. */
  int64_t take(uint8_t makerSide, int32_t tick, uint64_t taker, uint8_t takerSide, int64_t left,
               Checksums& sums) {
    Level& lv = levels_[makerSide][tick];
    int32_t o = lv.head;
    while (left > 0 && o >= 0) {
      Order& m = pool_[o];
      const int64_t fill = m.qty < left ? m.qty : left;
      m.qty -= fill;
      left -= fill;
      lv.total -= fill;
      Event& t = emit(sums);
      t.type = EV_TRADE;
      t.side = takerSide;
      t.id = m.id;
      t.other = taker;
      t.price = tick + minPrice_;
      t.qty = fill;
      t.remaining = m.qty;
      if (m.qty > 0) break;
      const int32_t next = m.next;
      map_.erase(m.id);
      lv.count--;
      release(o);
      o = next;
    }
    lv.head = o;
    if (o >= 0) pool_[o].prev = -1;
    else lv.tail = -1;
    levelEvent(makerSide, tick, sums);
    if (lv.count == 0) {
      if (makerSide == 1) bestAsk_ = askFrom(tick + 1);
      else bestBid_ = bidFrom(tick - 1);
    }
    return left;
  }

  void rest(uint64_t id, uint8_t side, int32_t tick, int64_t qty, Checksums& sums) {
    int32_t o;
    if (!free_.empty()) {
      o = free_.back();
      free_.pop_back();
    } else {
      o = static_cast<int32_t>(pool_.size());
      pool_.emplace_back();
    }
    Level& lv = levels_[side][tick];
    Order& r = pool_[o];
    r.id = id;
    r.qty = qty;
    r.tick = tick;
    r.side = side;
    r.next = -1;
    r.prev = lv.tail;
    if (lv.tail >= 0) pool_[lv.tail].next = o;
    else lv.head = o;
    lv.tail = o;
    lv.total += qty;
    lv.count++;
    used_++;
    map_.insert(id, o);
    if (side == 0 && tick > bestBid_) bestBid_ = tick;
    if (side == 1 && tick < bestAsk_) bestAsk_ = tick;
    levelEvent(side, tick, sums);
  }

  void cancel(uint64_t id, Checksums& sums) {
    if (id == 0 || id > MAX_SAFE) return reject(id, 1, sums);
    const int32_t o = map_.find(id);
    if (o < 0) {
      sums.refusedCancels++;
      return reject(id, 7, sums);
    }
    Order& c = pool_[o];
    Level& lv = levels_[c.side][c.tick];
    if (c.prev >= 0) pool_[c.prev].next = c.next;
    else lv.head = c.next;
    if (c.next >= 0) pool_[c.next].prev = c.prev;
    else lv.tail = c.prev;
    lv.total -= c.qty;
    lv.count--;
    Event& e = emit(sums);
    e.type = EV_CANCELLED;
    e.id = id;
    e.qty = c.qty;
    e.remaining = 0;
    levelEvent(c.side, c.tick, sums);
    if (lv.count == 0) {
      if (c.side == 1 && c.tick == bestAsk_) bestAsk_ = askFrom(c.tick + 1);
      if (c.side == 0 && c.tick == bestBid_) bestBid_ = bidFrom(c.tick - 1);
    }
    map_.erase(id);
    release(o);
  }

  void release(int32_t o) {
    free_.push_back(o);
    used_--;
  }

  int32_t askFrom(int32_t t) const {
    while (t < nticks_ && levels_[1][t].count == 0) t++;
    return t;
  }

  int32_t bidFrom(int32_t t) const {
    while (t >= 0 && levels_[0][t].count == 0) t--;
    return t;
  }
};

void readArray(FILE* f, void* to, size_t bytes, const char* path) {
  if (bytes > 0 && fread(to, 1, bytes, f) != bytes) {
    fprintf(stderr, "ladder: %s is cut short\n", path);
    exit(1);
  }
}

Ops readOps(FILE* f, uint32_t n, const char* path) {
  Ops ops;
  ops.n = n;
  ops.kind.resize(n);
  ops.side.resize(n);
  ops.id.resize(n);
  ops.price.resize(n);
  ops.qty.resize(n);
  readArray(f, ops.kind.data(), n, path);
  readArray(f, ops.side.data(), n, path);
  readArray(f, ops.id.data(), 4ULL * n, path);
  readArray(f, ops.price.data(), 4ULL * n, path);
  readArray(f, ops.qty.data(), 4ULL * n, path);
  return ops;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: ladder <ops file> <runs>\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "ladder: cannot open %s\n", argv[1]);
    return 1;
  }
  char magic[4];
  uint32_t head[5];
  readArray(f, magic, 4, argv[1]);
  readArray(f, head, sizeof head, argv[1]);
  if (memcmp(magic, "TBW1", 4) != 0) {
    fprintf(stderr, "ladder: %s is not an ops file\n", argv[1]);
    return 1;
  }
  const Ops warmup = readOps(f, head[0], argv[1]);
  const Ops ops = readOps(f, head[1], argv[1]);
  fclose(f);
  const int runs = atoi(argv[2]);
  std::vector<double> rates;
  Checksums sums;
  uint32_t resting = 0;
  for (int r = 0; r < runs; r++) {
    Book* book = new Book(static_cast<int32_t>(head[2]), static_cast<int32_t>(head[3]), head[4]);
    Checksums warm;
    book->apply(warmup, 0, warmup.n, warm);
    sums = Checksums();
    const auto t0 = std::chrono::steady_clock::now();
    for (uint32_t s = 0; s < ops.n; s += BATCH) {
      book->apply(ops, s, s + BATCH < ops.n ? s + BATCH : ops.n, sums);
    }
    const auto t1 = std::chrono::steady_clock::now();
    rates.push_back(ops.n / std::chrono::duration<double>(t1 - t0).count());
    resting = book->size();
    delete book;
  }
  printf("{\"opsPerSec\":[");
  for (size_t k = 0; k < rates.size(); k++) printf("%s%.0f", k ? "," : "", rates[k]);
  printf(
      "],\"checksums\":{\"fills\":%llu,\"filledQty\":%llu,\"notional\":%.0f,\"refusedCancels\":%llu,"
      "\"resting\":%u}}\n",
      static_cast<unsigned long long>(sums.fills), static_cast<unsigned long long>(sums.filledQty),
      sums.notional, static_cast<unsigned long long>(sums.refusedCancels), resting);
  return 0;
}
