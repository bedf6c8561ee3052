/**
 * A fake Binance spot REST API on 127.0.0.1 for the real ccxt client: exchangeInfo, ticker/24hr,
 * klines, time, account, order (POST create, GET lookup by orderId or origClientOrderId), plus the
 * sapi currency/margin stubs. Signed endpoints check X-MBX-APIKEY, the timestamp window and the
 * HMAC-SHA256 signature of `query + body` the way Binance does. Like Binance, it accepts a reused
 * client order id once the earlier order is filled, so a double send shows up as two orders.
 * Faults are queued per route: a status code, or "accept then never answer" (a lost response).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeMarket {
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly minNotional: string;
}

export interface FakeOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  readonly price: number;
  readonly time: number;
}

export type Fault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'accept-then-hang' };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string;
}

export interface FakeExchangeOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  readonly balances?: Readonly<Record<string, number>>;
  /** Last price per market id (e.g. BTCUSDT). */
  readonly prices?: Readonly<Record<string, number>>;
  readonly markets?: readonly FakeMarket[];
  /** Hourly klines served for every market: [firstOpenTime, lastOpenTime]. */
  readonly klineRange?: readonly [number, number];
  readonly feeRate?: number;
}

export interface FakeExchange {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly orders: FakeOrder[];
  readonly balances: Map<string, number>;
  /** Queues a fault for the next request matching `METHOD /path` (e.g. 'POST /api/v3/order'). */
  fail(route: string, fault: Fault, times?: number): void;
  setPrice(marketId: string, price: number): void;
  count(route: string): number;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_MARKETS: readonly FakeMarket[] = [
  {
    id: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    stepSize: '0.00001000',
    minQty: '0.00001000',
    minNotional: '5.00000000',
  },
  {
    id: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    stepSize: '0.00010000',
    minQty: '0.00010000',
    minNotional: '5.00000000',
  },
];

const HOUR = 3_600_000;

/** Deterministic OHLC for an hour: a gentle wave around 30,000. */
export function fakeKline(openTime: number): [number, string, string, string, string, string] {
  const h = openTime / HOUR;
  const open = 30_000 + 500 * Math.sin(h / 10);
  const close = 30_000 + 500 * Math.sin((h + 1) / 10);
  const f = (n: number): string => n.toFixed(2);
  return [openTime, f(open), f(Math.max(open, close) + 10), f(Math.min(open, close) - 10), f(close), '12.5'];
}

export async function startFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const apiKey = options.apiKey ?? 'test-key';
  const secret = options.secret ?? 'test-secret';
  const markets = options.markets ?? DEFAULT_FAKE_MARKETS;
  const prices = new Map(Object.entries(options.prices ?? { BTCUSDT: 30_000, ETHUSDT: 2_000 }));
  const balances = new Map(Object.entries(options.balances ?? { USDT: 10_000 }));
  const feeRate = options.feeRate ?? 0.001;
  const requests: RecordedRequest[] = [];
  const orders: FakeOrder[] = [];
  const faults = new Map<string, Fault[]>();
  const sockets = new Set<Socket>();
  const hung: ServerResponse[] = [];

  /** Handlers return `Handled` so every branch ends in exactly one answer (or a deliberate hang). */
  type Handled = true;
  const json = (res: ServerResponse, status: number, body: unknown): Handled => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return true;
  };
  const error = (res: ServerResponse, status: number, code: number, msg: string): Handled =>
    json(res, status, { code, msg });

  const verify = (req: IncomingMessage, query: string, body: string): string | null => {
    const key = req.headers['x-mbx-apikey'];
    if (key === undefined) return 'missing key';
    if (key !== apiKey) return 'bad key';
    const total = `${query}${body}`;
    const match = /(?:^|&)signature=([0-9a-f]{64})$/.exec(total);
    if (!match) return 'missing signature';
    const payload = total.slice(0, match.index);
    const expected = createHmac('sha256', secret).update(payload).digest('hex');
    if (expected !== match[1]) return 'bad signature';
    const params = new URLSearchParams(payload);
    const timestamp = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5000);
    if (!(timestamp > 0) || Math.abs(Date.now() - timestamp) > recvWindow) return 'bad timestamp';
    return null;
  };

  const orderView = (o: FakeOrder) => ({
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: '0.00000000',
    origQty: o.qty.toFixed(8),
    executedQty: o.qty.toFixed(8),
    cummulativeQuoteQty: (o.qty * o.price).toFixed(8),
    status: 'FILLED',
    timeInForce: 'GTC',
    type: 'MARKET',
    side: o.side,
    time: o.time,
    updateTime: o.time,
    workingTime: o.time,
    isWorking: true,
  });

  const createOrder = (params: URLSearchParams, res: ServerResponse, hang: boolean): Handled => {
    const market = markets.find((m) => m.id === params.get('symbol'));
    if (!market) return error(res, 400, -1121, 'Invalid symbol.');
    if (params.get('type') !== 'MARKET') return error(res, 400, -1116, 'Invalid orderType.');
    const qty = Number(params.get('quantity'));
    const step = Number(market.stepSize);
    if (!(qty >= Number(market.minQty)) || Math.abs(qty / step - Math.round(qty / step)) > 1e-6) {
      return error(res, 400, -1013, 'Filter failure: LOT_SIZE');
    }
    const price = prices.get(market.id) ?? 0;
    const cost = qty * price;
    if (cost < Number(market.minNotional)) return error(res, 400, -1013, 'Filter failure: NOTIONAL');
    const side = params.get('side') === 'SELL' ? 'SELL' : 'BUY';
    const fee = cost * feeRate;
    const have = (asset: string): number => balances.get(asset) ?? 0;
    if (side === 'BUY' ? have(market.quote) < cost + fee : have(market.base) < qty) {
      return error(res, 400, -2010, 'Account has insufficient balance for requested action.');
    }
    if (side === 'BUY') {
      balances.set(market.quote, have(market.quote) - cost - fee);
      balances.set(market.base, have(market.base) + qty);
    } else {
      balances.set(market.base, have(market.base) - qty);
      balances.set(market.quote, have(market.quote) + cost - fee);
    }
    const clientOrderId = params.get('newClientOrderId') ?? `web_${orders.length + 1}`;
    const order: FakeOrder = {
      orderId: 1000 + orders.length,
      clientOrderId,
      symbol: market.id,
      side,
      qty,
      price,
      time: Date.now(),
    };
    orders.push(order);
    if (hang) {
      hung.push(res);
      return true;
    }
    return json(res, 200, {
      ...orderView(order),
      transactTime: order.time,
      fills: [
        {
          price: price.toFixed(8),
          qty: qty.toFixed(8),
          commission: fee.toFixed(8),
          commissionAsset: market.quote,
          tradeId: order.orderId,
        },
      ],
    });
  };

  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
    body: string,
  ): Handled => {
    const key = `${req.method} ${path}`;
    const fault = faults.get(key)?.shift();
    if (fault?.kind === 'status')
      return error(res, fault.status, -1001, 'Internal error; unable to process your request.');
    const params = new URLSearchParams(query || body);
    const signed = ['/api/v3/order', '/api/v3/account'].includes(path) || path.startsWith('/sapi/');
    if (signed) {
      const problem = verify(req, query, body);
      if (problem === 'bad signature' || problem === 'missing signature') {
        return error(res, 400, -1022, 'Signature for this request is not valid.');
      }
      if (problem === 'bad timestamp')
        return error(res, 400, -1021, 'Timestamp for this request is outside of the recvWindow.');
      if (problem !== null) return error(res, 401, -2015, 'Invalid API-key, IP, or permissions for action.');
    }
    switch (key) {
      case 'GET /api/v3/time':
        return json(res, 200, { serverTime: Date.now() });
      case 'GET /api/v3/exchangeInfo':
        return json(res, 200, exchangeInfo(markets));
      case 'GET /api/v3/ticker/24hr': {
        const price = prices.get(params.get('symbol') ?? '');
        if (price === undefined) return error(res, 400, -1121, 'Invalid symbol.');
        return json(res, 200, ticker(params.get('symbol') ?? '', price));
      }
      case 'GET /api/v3/klines':
        return json(res, 200, klines(params, options.klineRange));
      case 'GET /api/v3/account':
        return json(res, 200, {
          canTrade: true,
          accountType: 'SPOT',
          balances: [...balances].map(([asset, free]) => ({
            asset,
            free: free.toFixed(8),
            locked: '0.00000000',
          })),
          permissions: ['SPOT'],
        });
      case 'POST /api/v3/order':
        return createOrder(params, res, fault?.kind === 'accept-then-hang');
      case 'GET /api/v3/order': {
        const byClient = params.get('origClientOrderId');
        const found = orders.filter((o) =>
          byClient !== null ? o.clientOrderId === byClient : String(o.orderId) === params.get('orderId'),
        );
        const latest = found.at(-1);
        return latest ? json(res, 200, orderView(latest)) : error(res, 400, -2013, 'Order does not exist.');
      }
      case 'GET /sapi/v1/capital/config/getall':
      case 'GET /sapi/v1/margin/allPairs':
      case 'GET /sapi/v1/margin/isolated/allPairs':
        return json(res, 200, []);
      default:
        return error(res, 404, -1000, `no route ${key}`);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const query = url.search.slice(1);
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body });
      route(req, res, url.pathname, query, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    orders,
    balances,
    fail(routeKey, fault, times = 1) {
      const queue = faults.get(routeKey) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(routeKey, queue);
    },
    setPrice(marketId, price) {
      prices.set(marketId, price);
    },
    count(routeKey) {
      return requests.filter((r) => `${r.method} ${r.path}` === routeKey).length;
    },
    async close() {
      for (const res of hung) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function exchangeInfo(markets: readonly FakeMarket[]) {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [],
    exchangeFilters: [],
    symbols: markets.map((m) => ({
      symbol: m.id,
      status: 'TRADING',
      baseAsset: m.base,
      baseAssetPrecision: 8,
      quoteAsset: m.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      quoteOrderQtyMarketAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: '0.01000000',
          maxPrice: '1000000.00000000',
          tickSize: '0.01000000',
        },
        { filterType: 'LOT_SIZE', minQty: m.minQty, maxQty: '9000.00000000', stepSize: m.stepSize },
        {
          filterType: 'NOTIONAL',
          minNotional: m.minNotional,
          applyMinToMarket: true,
          maxNotional: '9000000.00000000',
        },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
    })),
  };
}

function ticker(symbol: string, price: number) {
  const p = price.toFixed(2);
  const now = Date.now();
  return {
    symbol,
    lastPrice: p,
    bidPrice: p,
    askPrice: p,
    openPrice: p,
    highPrice: p,
    lowPrice: p,
    volume: '1',
    quoteVolume: p,
    openTime: now - 86_400_000,
    closeTime: now,
    count: 1,
  };
}

function klines(params: URLSearchParams, range: readonly [number, number] | undefined) {
  if (params.get('interval') !== '1h' || !range) return [];
  const limit = Math.min(Number(params.get('limit') ?? 500), 1000);
  const start = Math.max(range[0], Math.ceil(Number(params.get('startTime') ?? range[0]) / HOUR) * HOUR);
  const end = Math.min(range[1], Number(params.get('endTime') ?? range[1]));
  const out: unknown[] = [];
  for (let t = start; t <= end && out.length < limit; t += HOUR) {
    out.push([...fakeKline(t), t + HOUR - 1, '375000.0', 100, '6.0', '180000.0', '0']);
  }
  return out;
}
