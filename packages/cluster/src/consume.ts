import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { COMMAND_STREAM, commandSubject } from './names';
import { retrying } from './retry';

/** How long a consumer may sit idle before its owner checks whether the stream has more for it (ms). */
const IDLE_CHECK_MS = 2000;

/** The consumers one process keeps running, stopped together. */
export class ConsumerSet {
  running = true;
  readonly open = new Set<ConsumerMessages>();
  stop(): void {
    this.running = false;
    for (const messages of this.open) void messages.stop();
  }
}

/**
 * Keep a consumer running while `set` runs: open it (again) whenever it ends
 * or errs, and reopen it when it has sat idle while `behind()` says the stream
 * has more for it (a consumer can stop silently after its NATS node died).
 * `open` decides where to start each time (after what was handled).
 */
export function consumeForever(
  set: ConsumerSet,
  what: string,
  open: () => Promise<ConsumerMessages>,
  handle: (m: JsMsg) => void,
  behind: () => Promise<boolean>,
): void {
  void (async () => {
    while (set.running) {
      let messages: ConsumerMessages;
      try {
        messages = await retrying(what, open);
      } catch {
        continue;
      }
      if (!set.running) {
        void messages.stop();
        break;
      }
      set.open.add(messages);
      let lastMessageAt = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - lastMessageAt < IDLE_CHECK_MS) return;
        lastMessageAt = Date.now();
        behind().then(
          (yes) => {
            if (yes) void messages.stop();
          },
          () => undefined,
        );
      }, IDLE_CHECK_MS);
      try {
        for await (const m of messages) {
          lastMessageAt = Date.now();
          handle(m);
        }
      } catch {
        // reopened below
      } finally {
        clearInterval(watchdog);
        set.open.delete(messages);
      }
      if (set.running) await new Promise((r) => setTimeout(r, 100));
    }
  })();
}

/** A consumer of one symbol's commands, in order, from command sequence `start` (1: the first). */
export async function openCommandConsumer(
  js: JetStreamClient,
  symbol: string,
  start: number,
): Promise<ConsumerMessages> {
  const consumer = await js.consumers.get(COMMAND_STREAM, {
    filter_subjects: commandSubject(symbol),
    ...(start > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start }
      : { deliver_policy: DeliverPolicy.All }),
  });
  return consumer.consume({ max_messages: 1024 });
}
