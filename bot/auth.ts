// Bot Framework authentication that keeps its HTTP clients. botbuilder's CloudAdapter builds a new
// ConnectorClient (an Azure SDK pipeline) and a new UserTokenClient for every turn and every
// proactive message; at hundreds of turns a second that is a measurable share of the bot's CPU
// (profiled: about a tenth of an invoke). Clients are stateless apart from their credentials, which
// cache tokens, so one per app id, service URL and audience serves every turn.
//
// With `proactiveRetries: false` (the delivery engine's own adapter), proactive clients
// (continueConversationAsync) also drop the SDK's own retry policies: the engine retries with its own
// backoff and must see every 429 to slow down. Every other send (replies, notifications, the digest,
// card updates) keeps them.
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

/** The request did not prove it comes from the Bot Framework; why is for the log only. */
export class RequestNotAuthenticated extends Error {
  constructor(readonly reason: unknown) {
    super('Unauthorized');
    this.name = 'RequestNotAuthenticated';
  }
}

/**
 * CloudAdapter.process() answers a failed authentication with the SDK's error message in the body
 * and a 500 when the signing keys cannot be fetched, and prints the error with console.error. Puls
 * authenticates first and runs the turn second, so that the HTTP edge can answer each on its own.
 */
export class PulsAdapter extends CloudAdapter {
  /** Authenticates the request, then runs the turn; RequestNotAuthenticated when it is not the Bot Framework. */
  async processAuthenticated(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    let authenticated;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw new RequestNotAuthenticated(err);
    }
    return this.processActivity(authenticated, activity, logic);
  }
}

/**
 * A CloudAdapter with kept clients. `proactiveRetries: false` for the delivery engine's adapter:
 * its proactive sends go out once per call, so that the engine sees and paces every 429 itself.
 */
export function createAdapter(
  auth: ConfigurationBotFrameworkAuthenticationOptions,
  options: { proactiveRetries: boolean },
): PulsAdapter {
  return new PulsAdapter(
    new CachingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication(auth), options),
  );
}

/** Enough for every service URL Teams uses; a flood of invented ones cannot grow memory past it. */
const MAX_CLIENTS = 200;

export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly turnClients = new ClientCache<ConnectorClient>();
  private readonly proactiveClients = new ClientCache<ConnectorClient>();
  private readonly tokenClients = new ClientCache<UserTokenClient>();

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly options: { proactiveRetries: boolean } = { proactiveRetries: true },
  ) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.cached(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.cached(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new CachingConnectorFactory(
      this.inner.createConnectorFactory(claimsIdentity),
      appIdOf(claimsIdentity),
      this.proactiveClients,
      this.options.proactiveRetries ? (client) => client : withoutRetries,
    );
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private cached(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return {
      ...result,
      connectorFactory: new CachingConnectorFactory(
        result.connectorFactory,
        appIdOf(result.claimsIdentity),
        this.turnClients,
        (client) => client,
      ),
    };
  }
}

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: ClientCache<ConnectorClient>,
    private readonly prepare: (client: ConnectorClient) => ConnectorClient,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(`${this.appId}|${serviceUrl}|${audience ?? ''}`, async () =>
      this.prepare(await this.inner.create(serviceUrl, audience)),
    );
  }
}

/** Keyed promises of clients, the oldest dropped beyond MAX_CLIENTS; a failed creation is not kept. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const created = create();
    this.entries.set(key, created);
    created.catch(() => this.entries.delete(key));
    if (this.entries.size > MAX_CLIENTS) this.entries.delete(this.entries.keys().next().value!);
    return created;
  }
}

function appIdOf(claimsIdentity: ClaimsIdentity | undefined): string {
  return (
    claimsIdentity?.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity?.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

interface PipelineHolder {
  client?: { pipeline?: { removePolicy(options: { phase?: string; name?: string }): unknown } };
}

/** Removes the Azure SDK retry policies (throttling, exponential, system errors) from a client. */
export function withoutRetries(client: ConnectorClient): ConnectorClient {
  const pipeline = (client as unknown as PipelineHolder).client?.pipeline;
  if (!pipeline) throw new Error('ConnectorClient has no pipeline: the botbuilder internals changed');
  pipeline.removePolicy({ phase: 'Retry' });
  return client;
}
