import type { BookEvent } from 'tickbook';

/** The events of every command of one command message, in order. */
export interface MessageResults {
  /** The command message's sequence in the command stream. */
  seq: number;
  /** One entry per command of the message: the events it produced. */
  commands: CommandResult[];
}

/** One command's outcome. */
export interface CommandResult {
  /** The command's `owner`, when it had one (the account, for the database). */
  owner?: number;
  /** Its events, without `level-changed` (L2 updates come from read replicas). */
  events: BookEvent[];
}

/**
 * One message of the event stream: the results of consecutive command
 * messages of one symbol, those after `from - 1` up to `last` that exist for
 * the symbol. A leader publishes them strictly in order and without gaps.
 */
export interface EventMessage {
  symbol: string;
  /** The last command sequence covered (the next message covers only later ones). */
  last: number;
  results: MessageResults[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// JSON: events are objects already, and the consumers (gateways, the database
// sink) want objects; one encode per batch of command messages.
export function encodeEventMessage(message: EventMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

export function decodeEventMessage(bytes: Uint8Array): EventMessage {
  return JSON.parse(decoder.decode(bytes)) as EventMessage;
}
