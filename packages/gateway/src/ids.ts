/**
 * Order ids. Each account (owner) chooses its own client order ids; the engine
 * needs ids unique among the live orders of a book. The gateway packs both into
 * one engine id:
 *
 *     engineId = owner * 2^32 + clientId
 *
 * with `clientId` in 1 … 2^32-1 and `owner` in 1 … 2^21-1, so every engine id
 * is a positive safe integer (≤ 2^53-1). Two accounts can never collide, a
 * client id can only ever name its own account's order (another owner's order
 * answers "not found" by construction), and the mapping is stateless: the
 * journal, which stores engine ids and owners, restores it without a side table.
 */

/** Largest client order id (unsigned 32-bit). */
export const MAX_CLIENT_ID = 0xffff_ffff;
/** Largest owner (account id): 2^21-1, so that owner * 2^32 + clientId stays a safe integer. */
export const MAX_OWNER = 0x1f_ffff;

const SHIFT = 0x1_0000_0000; // 2^32

/** The engine id of an account's client order id. */
export function toEngineId(owner: number, clientId: number): number {
  return owner * SHIFT + clientId;
}

/** The account that owns an engine id. */
export function ownerOf(engineId: number): number {
  return Math.floor(engineId / SHIFT);
}

/** The client order id inside an engine id. */
export function clientIdOf(engineId: number): number {
  return engineId % SHIFT;
}
