// npm run bench: every benchmark, printing figures (never asserting them).
import { benchAnswerLatency } from './answer-latency';
import { benchAudience } from './audience';
import { benchDelivery } from './delivery';
import { benchDeliveryMulti } from './delivery-multi';
import { benchDigest } from './digest';
import { benchSimilarIdeas } from './similar-ideas';

async function main(): Promise<void> {
  const only = process.argv[2];
  const benches: Record<string, () => Promise<void>> = {
    answers: benchAnswerLatency,
    ideas: benchSimilarIdeas,
    digest: benchDigest,
    delivery: benchDelivery,
    'delivery-multi': benchDeliveryMulti,
    audience: benchAudience,
  };
  for (const [name, bench] of Object.entries(benches)) {
    if (only && only !== name) continue;
    await bench();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
