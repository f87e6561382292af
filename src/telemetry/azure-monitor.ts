// Azure Monitor (Application Insights) through Microsoft's OpenTelemetry distro. Loaded by
// bot/main.ts only when APPLICATIONINSIGHTS_CONNECTION_STRING is set; without it no OpenTelemetry
// package is loaded at all.
//
// Every automatic instrumentation is switched off: the HTTP one would record the URLs Puls calls
// (Teams' /v3/conversations/<a person's chat id>/activities) and the Azure SDK one the table URLs
// with partition and row keys. Live Metrics is off too (it streams samples of what is recorded).
// What is recorded is exactly what ./otel.ts records: the closed vocabulary of ./index.ts.
import { metrics, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { createOtelTelemetry } from './otel';
import type { Telemetry } from './index';

const OFF = { enabled: false };

export function startAzureMonitor(connectionString: string): Telemetry {
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // The cloud role name in Application Insights (else "unknown_service:node").
    resource: resourceFromAttributes({ 'service.name': 'puls' }),
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: OFF,
      azureSdk: OFF,
      mongoDb: OFF,
      mySql: OFF,
      postgreSql: OFF,
      redis: OFF,
      redis4: OFF,
      bunyan: OFF,
      winston: OFF,
      console: OFF,
    },
    browserSdkLoaderOptions: { enabled: false },
  });
  return createOtelTelemetry({
    tracer: trace.getTracer('puls'),
    meter: metrics.getMeter('puls'),
    shutdown: () => shutdownAzureMonitor(),
  });
}
