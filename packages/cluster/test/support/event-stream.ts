import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENT_STREAM, eventSubject, PART_HEADER } from '../../src/names';
import { type EventMessage, EventMessageAssembler } from '../../src/results';

/** Every message stored on the symbol's event subject: part headers ('' when whole), and the joined event messages. */
export async function storedEvents(
  nc: NatsConnection,
  symbol: string,
): Promise<{ parts: string[]; messages: EventMessage[] }> {
  const consumer = await jetstream(nc).consumers.get(EVENT_STREAM, {
    filter_subjects: eventSubject(symbol),
    deliver_policy: DeliverPolicy.All,
  });
  const parts: string[] = [];
  const messages: EventMessage[] = [];
  const joiner = new EventMessageAssembler();
  const info = await consumer.info();
  for (let left = info.num_pending; left > 0; left--) {
    const m = await consumer.next({ expires: 5000 });
    if (!m) throw new Error(`the event stream of ${symbol} ended ${left} messages early`);
    const part = m.headers?.get(PART_HEADER) ?? '';
    parts.push(part);
    const message = joiner.add(symbol, m.data, part || undefined, m.seq);
    if (message) messages.push(message);
  }
  return { parts, messages };
}
