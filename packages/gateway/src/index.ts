/**
 * @tickbook/gateway: an HTTP + WebSocket order gateway on tickbook.
 * @packageDocumentation
 */
export {
  type AccountConfig,
  DEFAULT_CONFIG,
  type GatewayConfig,
  type InstrumentConfig,
  loadGatewayConfig,
  resolveGatewayConfig,
} from './config';
export { clientIdOf, MAX_CLIENT_ID, MAX_OWNER, ownerOf, toEngineId } from './ids';
export { Market, MarketUnavailableError } from './market';
export {
  buildGateway,
  type Gateway,
  type GatewayOptions,
  type Readiness,
  statusOf,
} from './server';
export type { Channel } from './streams';
export { type CommandResult, type OwnEvent, ownEvents, summarize } from './views';
