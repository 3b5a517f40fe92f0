import express from 'express';
import { PostHog } from 'posthog-node';
import { initialize } from 'unleash-client';

const client = new PostHog(process.env.POSTHOG_PROJECT_TOKEN ?? '', { host: 'https://us.i.posthog.com' });
// Payments still run on the old Unleash server until the migration is done.
const unleash = initialize({ url: 'https://unleash.internal/api', appName: 'shop-api' });

const app = express();
app.use(express.json());

app.post('/checkout', async (req, res) => {
  const distinctId = String(req.headers['x-user-id']);
  if (await client.isFeatureEnabled('new-checkout', distinctId)) {
    res.json(await newCheckout(req.body));
    return;
  }
  res.json(await legacyCheckout(req.body));
});

app.get('/sso/:company', async (req, res) => {
  const enabled = await client.isFeatureEnabled('enterprise-sso', String(req.query.user), {
    groups: { company: req.params.company },
  });
  res.json({ sso: enabled === true });
});

app.get('/pricing', async (req, res) => {
  const payload = await client.getFeatureFlagPayload('pricing-page-experiment', String(req.query.user));
  const newPayments = unleash.isEnabled('payments-v2');
  res.json({ pricing: payload ?? null, newPayments });
});

async function newCheckout(body: unknown) {
  return { ok: true, flow: 'new', body };
}

async function legacyCheckout(body: unknown) {
  return { ok: true, flow: 'legacy', body };
}

app.listen(3000);
process.on('SIGTERM', () => void client.shutdown());
